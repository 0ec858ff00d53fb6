using Siuss.Client.Submission;
using Spectre.Console;

namespace Siuss.Client.Cli.Folder;

/// <summary>
/// Shows a folder submission as it runs: a live progress bar on an interactive terminal, plain lines (one per finished
/// file or retry) when the output is redirected, so logs, CI and tests read the same facts.
/// </summary>
public static class FolderProgress
{
    /// <summary>True when a live display makes sense: stdout is a terminal and the user did not ask for plain output.</summary>
    public static bool IsInteractive(bool plain) =>
        !plain && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> with the observer that fits the terminal.</summary>
    public static async Task<T> RunAsync<T>(bool interactive, Func<ISubmissionObserver, Task<T>> work)
    {
        if (!interactive) return await work(new PlainLines(Console.Out));
        return await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(context => work(new LiveBar(context)));
    }

    /// <summary>Plain lines, written under a lock because files finish on several threads.</summary>
    private sealed class PlainLines(TextWriter output) : ISubmissionObserver
    {
        private readonly Lock _lock = new();
        private int _total;
        private int _done;

        public void Started(int total)
        {
            lock (_lock) { _total = total; output.WriteLine($"{total} flow file(s) to check."); }
        }

        public void FileStarted(string file) { }

        public void Retrying(string file, int attempt, TimeSpan delay, string reason)
        {
            lock (_lock) output.WriteLine($"{file}: {reason}; retry {attempt} in {delay.TotalSeconds:0.0} s");
        }

        public void FileFinished(FileOutcome outcome)
        {
            lock (_lock)
            {
                _done++;
                output.WriteLine($"[{_done}/{_total}] {outcome.File}: {FolderStatusText.Status(outcome)} ({FolderStatusText.Detail(outcome)})");
                output.Flush();
            }
        }
    }

    /// <summary>One bar for the folder; finished files are printed above it (Spectre keeps the bar at the bottom).</summary>
    private sealed class LiveBar(ProgressContext context) : ISubmissionObserver
    {
        private readonly Lock _lock = new();
        private ProgressTask _task = null!;
        private int _inFlight;

        public void Started(int total)
        {
            lock (_lock) _task = context.AddTask("Submitting", maxValue: Math.Max(total, 1));
        }

        public void FileStarted(string file)
        {
            lock (_lock) { _inFlight++; _task.Description = Markup.Escape($"Submitting ({_inFlight} in flight): {file}"); }
        }

        public void Retrying(string file, int attempt, TimeSpan delay, string reason)
        {
            lock (_lock) AnsiConsole.MarkupLineInterpolated($"[yellow]{file}: {reason}; retry {attempt} in {delay.TotalSeconds:0.0} s[/]");
        }

        public void FileFinished(FileOutcome outcome)
        {
            lock (_lock)
            {
                _inFlight--;
                _task.Increment(1);
                var colour = outcome.IsAcquired ? "green" : outcome.Status == FileStatus.Failed ? "red" : "yellow";
                AnsiConsole.MarkupLineInterpolated($"[{colour}]{outcome.File}: {FolderStatusText.Status(outcome)}[/] ({FolderStatusText.Detail(outcome)})");
                if (_task.IsFinished) _task.Description = "Done";
            }
        }
    }
}
