using Dapper;

namespace Siuss.Service.Storage;

/// <summary>One PS_PSA_SINA benefit record of a person, with the paying body that sent it.</summary>
public sealed class BeneficiaryBenefitRow
{
    public long Id { get; set; }
    public string AgencyCode { get; set; } = "";
    public string AgencyName { get; set; } = "";
    public string CodicePrestazione { get; set; } = "";
    public string DenominazionePrestazione { get; set; } = "";
    public string ProtocolloDomanda { get; set; } = "";
    /// <summary>Dates are text in SQLite and DateTime in SQL Server.</summary>
    public object DataRiferimento { get; set; } = "";
    public string Status { get; set; } = "";
    public object? DataInizioPrestazione { get; set; }
    public object? DataFinePrestazione { get; set; }
    public object? DataErogazionePrestazione { get; set; }
    public decimal? ImportoPrestazione { get; set; }
    public decimal? ImportoMensile { get; set; }
    public int? PeriodoErogazione { get; set; }
}

/// <summary>Reads one person's benefit records across every paying body, for consulting bodies.</summary>
public sealed class BeneficiaryBenefitsRepository(Database database)
{
    // SINBA assessments live in sinba_records and carry no fiscal code; the flow-type condition keeps
    // this query PS_PSA_SINA-only even if that ever changed. Served by ix_benefit_records_codice_fiscale.
    private const string SelectForPerson =
        "SELECT r.id AS Id, r.agency_code AS AgencyCode, a.name AS AgencyName, r.codice_prestazione AS CodicePrestazione, " +
        "r.denominazione_prestazione AS DenominazionePrestazione, r.protocollo_domanda AS ProtocolloDomanda, " +
        "r.data_riferimento AS DataRiferimento, r.status AS Status, r.data_inizio_prestazione AS DataInizioPrestazione, " +
        "r.data_fine_prestazione AS DataFinePrestazione, r.data_erogazione_prestazione AS DataErogazionePrestazione, " +
        "r.importo_prestazione AS ImportoPrestazione, r.importo_mensile AS ImportoMensile, r.periodo_erogazione AS PeriodoErogazione " +
        "FROM benefit_records r JOIN submissions s ON s.id = r.submission_id JOIN agencies a ON a.code = r.agency_code " +
        "WHERE r.codice_fiscale = @codiceFiscale AND s.tipo_flusso = 'PS_PSA_SINA' " +
        "ORDER BY r.agency_code, r.data_riferimento, r.id";

    /// <summary>Every record of the person, active and cancelled, by paying body, then reference date, then arrival.</summary>
    public async Task<IReadOnlyList<BeneficiaryBenefitRow>> ForPersonAsync(string codiceFiscale, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<BeneficiaryBenefitRow>(new CommandDefinition(SelectForPerson, new { codiceFiscale }, cancellationToken: ct));
        return rows.AsList();
    }
}
