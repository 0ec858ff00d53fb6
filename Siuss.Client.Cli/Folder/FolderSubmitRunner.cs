using Siuss.Client.Submission;

namespace Siuss.Client.Cli.Folder;

/// <summary>The folder mode of <c>submit</c>: runs the <see cref="FolderSubmitter"/> under a progress display, then prints the summary.</summary>
public static class FolderSubmitRunner
{
    /// <summary>Submits the folder and returns the exit code from <see cref="ExitCodes.ForFolder"/>.</summary>
    public static async Task<int> RunAsync(DirectoryInfo folder, FolderSubmissionOptions options, bool plain)
    {
        if (!folder.Exists) throw new UsageException($"Folder '{folder.FullName}' does not exist.");
        var interactive = FolderProgress.IsInteractive(plain);
        Console.WriteLine($"Submitting the flow files of {folder.FullName} to {options.Endpoint} ({options.Parallelism} at a time); state in {Path.Combine(folder.FullName, SubmissionJournal.DirectoryName)}");
        IReadOnlyList<FileOutcome> outcomes;
        try
        {
            outcomes = await FolderProgress.RunAsync(interactive, observer => new FolderSubmitter(options, observer).SubmitAsync(folder.FullName));
        }
        catch (FolderBusyException e)
        {
            throw new UsageException(e.Message);
        }
        if (outcomes.Count == 0)
        {
            Console.WriteLine("No flow files (*.xml) in the folder.");
            return ExitCodes.Ok;
        }
        FolderSummary.Write(outcomes, interactive);
        return ExitCodes.ForFolder(outcomes);
    }
}
