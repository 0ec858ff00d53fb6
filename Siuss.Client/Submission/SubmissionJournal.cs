using System.Text.Json;

namespace Siuss.Client.Submission;

/// <summary>
/// The folder's local state in <c>.siuss/</c>: one small JSON file per flow file (<c>.siuss/journal/&lt;file&gt;.json</c>), each
/// replaced atomically, so parallel submissions never contend for one file and a kill leaves every entry whole.
/// </summary>
public sealed class SubmissionJournal
{
    /// <summary>The name of the state directory inside the folder.</summary>
    public const string DirectoryName = ".siuss";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Opens (creating if needed) the journal of <paramref name="folder"/>.</summary>
    public SubmissionJournal(string folder)
    {
        StateDirectory = Path.Combine(folder, DirectoryName);
        EntriesDirectory = Path.Combine(StateDirectory, "journal");
        SupersededDirectory = Path.Combine(StateDirectory, "superseded");
        TemporaryDirectory = Path.Combine(StateDirectory, "tmp");
        Directory.CreateDirectory(EntriesDirectory);
    }

    /// <summary><c>&lt;folder&gt;/.siuss</c>.</summary>
    public string StateDirectory { get; }
    /// <summary>Where the per-file entries live.</summary>
    public string EntriesDirectory { get; }
    /// <summary>Where receipts of earlier versions of a changed file are moved.</summary>
    public string SupersededDirectory { get; }
    /// <summary>Where atomic writes stage their temporary files (inside the folder, so the final rename stays on one file system).</summary>
    public string TemporaryDirectory { get; }

    /// <summary>
    /// Takes the folder for this run, then removes the temporary files a killed run left: two runs at once would each sign
    /// their own message for the same file. The lock is an open file held exclusively (an OS lock on Unix too), so a
    /// killed run releases it with its process.
    /// </summary>
    public IDisposable Lock()
    {
        var path = Path.Combine(StateDirectory, "run.lock");
        FileStream held;
        try
        {
            held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new FolderBusyException($"Another run is submitting this folder (it holds '{path}').");
        }
        AtomicFile.DeleteLeftovers(TemporaryDirectory);
        return held;
    }

    /// <summary>The entry of <paramref name="fileName"/>, or null when it was never signed.</summary>
    public JournalEntry? Find(string fileName)
    {
        var path = EntryPath(fileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<JournalEntry>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            // Entries are written atomically, so this is a hand-edited or foreign file: refuse to guess.
            throw new InvalidDataException($"The journal entry '{path}' is not readable ({e.Message}); remove it to start that file afresh.", e);
        }
    }

    /// <summary>Persists an entry atomically; call it BEFORE sending the Trasmissione it holds.</summary>
    public Task SaveAsync(JournalEntry entry, CancellationToken ct = default) =>
        AtomicFile.WriteAsync(EntryPath(entry.File), JsonSerializer.SerializeToUtf8Bytes(entry, Json), TemporaryDirectory, ct);

    private string EntryPath(string fileName) => Path.Combine(EntriesDirectory, fileName + ".json");
}

/// <summary>Another run holds the folder's lock.</summary>
public sealed class FolderBusyException(string message) : Exception(message);
