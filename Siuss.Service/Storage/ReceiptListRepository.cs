using System.Data.Common;

namespace Siuss.Service.Storage;

/// <summary>One stored receipt as ListReceipts lists it: its cursor, a summary, and the signed bytes as stored.</summary>
public sealed record ListedReceipt(
    long Cursor, string IdMessaggio, string? IdAcquisizione, string NomeFlusso, string TipoFlusso, string Esito, DateTime ReceivedAt, byte[] Ricevuta);

/// <summary>One page of a body's receipts, and whether more follow it.</summary>
public sealed record ReceiptPage(IReadOnlyList<ListedReceipt> Receipts, bool More);

/// <summary>Reads a body's stored receipts in cursor order (see <see cref="ReceiptCursor"/>).</summary>
public sealed class ReceiptListRepository(Database database)
{
    private const string Columns =
        "receipt_cursor, id_messaggio, id_acquisizione, nome_flusso, tipo_flusso, esito, received_at, ricevuta";

    private const string AfterCursor =
        "FROM submissions WHERE agency_code = @agencyCode AND receipt_cursor > @since ORDER BY receipt_cursor";

    internal static string SelectPage(SqlDialect dialect) => SqlPaging.Top(dialect, Columns, AfterCursor);

    /// <summary>The statements built per dialect, for the SQL tests.</summary>
    internal static IEnumerable<string> DialectStatements(SqlDialect dialect) => [SelectPage(dialect)];

    /// <summary>
    /// Up to <paramref name="limit"/> receipts of the body after <paramref name="since"/>, ascending, stopping before the
    /// receipt that would take the page past <paramref name="maxBytes"/> (a page always holds at least one receipt).
    /// </summary>
    public async Task<ReceiptPage> AfterAsync(string agencyCode, long since, int limit, long maxBytes, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = SelectPage(database.Dialect);
        Add(command, "@agencyCode", agencyCode);
        Add(command, "@since", since);
        Add(command, "@take", limit + 1); // one more, to know whether more follow
        var receipts = new List<ListedReceipt>(Math.Min(limit, 128));
        long bytes = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (receipts.Count == limit) return new ReceiptPage(receipts, More: true);
            // The size first, so a receipt that does not fit is never read into memory.
            var size = reader.GetBytes(7, 0, null, 0, 0);
            if (receipts.Count > 0 && bytes + size > maxBytes) return new ReceiptPage(receipts, More: true);
            bytes += size;
            receipts.Add(new ListedReceipt(
                reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc),
                (byte[])reader.GetValue(7)));
        }
        return new ReceiptPage(receipts, More: false);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
