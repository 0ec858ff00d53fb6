using Siuss.Client;
using System.Text;
using Siuss.Contracts.Documents;

namespace Siuss.Client.Cli;

/// <summary>What saving one receipt did.</summary>
public enum ArchiveOutcome
{
    /// <summary>Written now.</summary>
    Saved,
    /// <summary>The same bytes were already there (a rerun after a crash between the save and the cursor).</summary>
    AlreadySaved,
}

/// <summary>
/// The folder where <c>siuss-client receipts</c> keeps each receipt byte for byte, as
/// <c>{NomeFlusso}.{IdMessaggio}.ricevuta.xml</c>: one name per receipt, so saving it again is harmless.
/// </summary>
public sealed class ReceiptArchive(DirectoryInfo folder)
{
    /// <summary>How every receipt file name ends.</summary>
    public const string Extension = ".ricevuta.xml";

    /// <summary>The folder.</summary>
    public DirectoryInfo Folder { get; } = folder;

    /// <summary>The file name of a receipt: from the register-signed NomeFlusso and IdMessaggio, with anything unsafe in a file name replaced.</summary>
    public static string FileName(Ricevuta receipt)
    {
        var stem = string.IsNullOrEmpty(receipt.NomeFlusso) ? receipt.IdMessaggio : receipt.NomeFlusso + "." + receipt.IdMessaggio;
        var safe = new StringBuilder(stem.Length);
        foreach (var c in stem)
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        // No hidden files, no '..', and a length every file system takes.
        var name = safe.ToString().TrimStart('.');
        if (name.Length > 180) name = name[..180];
        return (name.Length == 0 ? "_" : name) + Extension;
    }

    /// <summary>Saves the receipt atomically unless the same bytes are already there; refuses to overwrite different bytes (the evidence is never replaced).</summary>
    public (ArchiveOutcome Outcome, string Path) Save(Ricevuta receipt, byte[] bytes)
    {
        var path = Path.Combine(Folder.FullName, FileName(receipt));
        if (File.Exists(path))
        {
            if (File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes)) return (ArchiveOutcome.AlreadySaved, path);
            throw new ReceiptVerificationException(
                $"'{path}' already holds a different receipt for IdMessaggio {receipt.IdMessaggio}; it is kept and nothing is overwritten. Compare the two with the register's operator.");
        }
        AtomicFile.Write(path, bytes);
        return (ArchiveOutcome.Saved, path);
    }
}
