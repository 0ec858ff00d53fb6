using Siuss.Client;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Siuss.Client.Cli;

/// <summary>
/// The local state file of <c>siuss-client receipts</c>: the body it belongs to and the ListReceipts cursor after which
/// nothing is left to save. It only moves forward once a page's receipts are all on disk.
/// </summary>
public sealed class ReceiptCursorState
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The body whose receipts these are.</summary>
    public string CodiceEnte { get; set; } = "";
    /// <summary>The register's SOAP endpoint the cursor was read from (cursors belong to one register).</summary>
    public string? Registro { get; set; }
    /// <summary>Every receipt up to and including this cursor is saved.</summary>
    public long Cursore { get; set; }
    /// <summary>When the cursor last moved (UTC).</summary>
    public DateTime? Aggiornato { get; set; }

    /// <summary>Loads the state file; a missing file is a fresh start at cursor 0.</summary>
    public static ReceiptCursorState Load(FileInfo file, string codiceEnte)
    {
        // File.Exists, not FileInfo.Exists: a FileInfo caches what it saw when it was made.
        if (!File.Exists(file.FullName)) return new ReceiptCursorState { CodiceEnte = codiceEnte };
        ReceiptCursorState? state;
        try
        {
            state = JsonSerializer.Deserialize<ReceiptCursorState>(File.ReadAllBytes(file.FullName), Json);
        }
        catch (JsonException e)
        {
            throw new UsageException($"The state file '{file.FullName}' is not readable ({e.Message}). Delete it to fetch every receipt again (the ones already saved are kept).");
        }
        if (state is null || state.Cursore < 0)
            throw new UsageException($"The state file '{file.FullName}' holds no cursor. Delete it to fetch every receipt again (the ones already saved are kept).");
        if (state.CodiceEnte != codiceEnte)
            throw new UsageException($"The state file '{file.FullName}' belongs to body '{state.CodiceEnte}', not '{codiceEnte}'. Give each body its own --state.");
        return state;
    }

    /// <summary>Saves the state atomically (temporary file, flush, rename).</summary>
    public void Save(FileInfo file) => AtomicFile.Write(file.FullName, JsonSerializer.SerializeToUtf8Bytes(this, Json));
}
