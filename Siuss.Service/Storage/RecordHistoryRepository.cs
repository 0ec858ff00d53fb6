using Dapper;

namespace Siuss.Service.Storage;

/// <summary>One stored record with the flows that inserted and (perhaps) cancelled it.</summary>
public sealed class RecordHistoryRow
{
    public string CodicePrestazione { get; set; } = "";
    public string ProtocolloDomanda { get; set; } = "";
    /// <summary>Text in SQLite, DateTime in SQL Server.</summary>
    public object DataRiferimento { get; set; } = "";
    public string Status { get; set; } = "";
    public decimal? ImportoPrestazione { get; set; }
    public decimal? ImportoMensile { get; set; }
    public bool Late { get; set; }
    public string InsertFlow { get; set; } = "";
    public string InsertAcquisition { get; set; } = "";
    public DateTime InsertedAt { get; set; }
    public string? CancelFlow { get; set; }
    public string? CancelAcquisition { get; set; }
    public DateTime? CancelledAt { get; set; }
}

/// <summary>Reads a body's records of one person with their history. Records are never deleted, so this is the whole story.</summary>
public sealed class RecordHistoryRepository(Database database)
{
    internal const string SelectHistory =
        "SELECT r.codice_prestazione AS CodicePrestazione, r.protocollo_domanda AS ProtocolloDomanda, r.data_riferimento AS DataRiferimento, " +
        "r.status AS Status, r.importo_prestazione AS ImportoPrestazione, r.importo_mensile AS ImportoMensile, r.late AS Late, " +
        "s.nome_flusso AS InsertFlow, s.id_acquisizione AS InsertAcquisition, s.received_at AS InsertedAt, " +
        "c.nome_flusso AS CancelFlow, c.id_acquisizione AS CancelAcquisition, r.cancelled_at AS CancelledAt " +
        "FROM benefit_records r JOIN submissions s ON s.id = r.submission_id " +
        "LEFT JOIN submissions c ON c.id = r.cancelled_by_submission_id " +
        "WHERE r.agency_code = @agencyCode AND r.codice_fiscale = @codiceFiscale " +
        "AND (@codicePrestazione IS NULL OR r.codice_prestazione = @codicePrestazione) " +
        "AND (@protocolloDomanda IS NULL OR r.protocollo_domanda = @protocolloDomanda) " +
        "ORDER BY r.id";

    /// <summary>The body's records of one person, oldest first, optionally narrowed to a benefit code and an application.</summary>
    public async Task<IReadOnlyList<RecordHistoryRow>> ForPersonAsync(string agencyCode, string codiceFiscale,
        string? codicePrestazione, string? protocolloDomanda, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<RecordHistoryRow>(SelectHistory,
            new { agencyCode, codiceFiscale, codicePrestazione, protocolloDomanda });
        return rows.AsList();
    }
}
