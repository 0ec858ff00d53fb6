using Dapper;

namespace Siuss.Service.Storage;

/// <summary>A receipt as the web channel lists it (the signed bytes are read only for the one shown).</summary>
public sealed class ReceiptSummary
{
    public string IdMessaggio { get; init; } = "";
    public string? IdAcquisizione { get; init; }
    public string NomeFlusso { get; init; } = "";
    public string TipoFlusso { get; init; } = "";
    public string Esito { get; init; } = "";
    public DateTime ReceivedAt { get; init; }
    public int RecordCount { get; init; }

    /// <summary>The id the web channel names a receipt by: the acquisition id, or for a refused flow its IdMessaggio.</summary>
    public string Id => IdAcquisizione ?? IdMessaggio;
}

/// <summary>What an operator filters a body's receipts by; every part optional.</summary>
public sealed record ReceiptFilter(DateTime? FromUtc, DateTime? ToUtc, string? Esito, string? NomeFlusso);

/// <summary>A body's receipts for the web channel: filtered, newest first, always within the one body.</summary>
public sealed class PortalReceiptRepository(Database database)
{
    private const string Columns =
        "id_messaggio AS IdMessaggio, id_acquisizione AS IdAcquisizione, nome_flusso AS NomeFlusso, tipo_flusso AS TipoFlusso, " +
        "esito AS Esito, received_at AS ReceivedAt, record_count AS RecordCount";

    // Each filter is off when its parameter is NULL, so one statement (compiled once) serves every combination.
    private const string Filtered =
        "FROM submissions WHERE agency_code = @agencyCode " +
        "AND (@from IS NULL OR received_at >= @from) AND (@to IS NULL OR received_at < @to) " +
        "AND (@esito IS NULL OR esito = @esito) AND (@nome IS NULL OR nome_flusso LIKE @nome ESCAPE '\\') " +
        "ORDER BY id DESC";

    private const string SelectOne =
        "SELECT ricevuta FROM submissions WHERE agency_code = @agencyCode AND (id_acquisizione = @id OR (id_acquisizione IS NULL AND id_messaggio = @id))";

    internal static string SelectPage(SqlDialect dialect) => SqlPaging.Top(dialect, Columns, Filtered);

    /// <summary>The statements built per dialect, for the SQL tests.</summary>
    internal static IEnumerable<string> DialectStatements(SqlDialect dialect) => [SelectPage(dialect), SelectOne];

    /// <summary>Up to <paramref name="limit"/> of the body's receipts matching <paramref name="filter"/>, newest first.</summary>
    public async Task<IReadOnlyList<ReceiptSummary>> SearchAsync(string agencyCode, ReceiptFilter filter, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var nome = string.IsNullOrWhiteSpace(filter.NomeFlusso) ? null : "%" + Escape(filter.NomeFlusso.Trim()) + "%";
        return (await connection.QueryAsync<ReceiptSummary>(SelectPage(database.Dialect), new
        {
            agencyCode,
            from = filter.FromUtc,
            to = filter.ToUtc,
            esito = string.IsNullOrWhiteSpace(filter.Esito) ? null : filter.Esito,
            nome,
            take = limit,
        })).AsList();
    }

    /// <summary>The signed receipt the body holds under <paramref name="id"/> (acquisition id, or IdMessaggio of a refused flow); null for another body's.</summary>
    public async Task<byte[]?> FindAsync(string agencyCode, string id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<byte[]?>(SelectOne, new { agencyCode, id });
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
