namespace Siuss.Client.Submission;

/// <summary>What a folder submission reports while it runs (a progress display implements it); called from several threads.</summary>
public interface ISubmissionObserver
{
    /// <summary>The run found <paramref name="total"/> flow files.</summary>
    void Started(int total);
    /// <summary>Work on a file began (reading, querying or sending).</summary>
    void FileStarted(string file);
    /// <summary>A transient failure; the call is retried after <paramref name="delay"/>.</summary>
    void Retrying(string file, int attempt, TimeSpan delay, string reason);
    /// <summary>The file's final outcome for this run.</summary>
    void FileFinished(FileOutcome outcome);
}
