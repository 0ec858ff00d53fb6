namespace Siuss.Contracts.Reconciliation;

/// <summary>
/// The content of one benefit record that reconciliation compares: the fields of a <c>PrestazioniSociali</c>
/// record as the body sent them, with the beneficiary's fiscal code. The beneficiary's registry data
/// (names, birth, addresses) and the SINA assessment are not part of it.
/// </summary>
public sealed class RecordContent
{
    /// <summary>The beneficiary, upper case without trailing blanks (the numeric form may carry up to five in the flow).</summary>
    public string CodiceFiscale { get; set; } = "";
    public string CodicePrestazione { get; set; } = "";
    public string ProtocolloDomanda { get; set; } = "";
    /// <summary>The date of the natural key: the start for periodic benefits, the payment for one-off ones.</summary>
    public DateOnly DataRiferimento { get; set; }
    public string DenominazionePrestazione { get; set; } = "";
    public string PresenzaProvaMezzi { get; set; } = "";
    public string? CaratterePrestazione { get; set; }
    public string? NumeroProtocolloDSU { get; set; }
    public string? AnnoProtocolloDSU { get; set; }
    public DateOnly? DataDSU { get; set; }
    public DateOnly? DataEvento { get; set; }
    public DateOnly? DataInizioPrestazione { get; set; }
    public DateOnly? DataFinePrestazione { get; set; }
    public DateOnly? DataErogazionePrestazione { get; set; }
    public decimal? ImportoPrestazione { get; set; }
    public int? PeriodoErogazione { get; set; }
    public decimal? ImportoMensile { get; set; }
    public decimal? ImportoQuotaEnte { get; set; }
    public decimal? ImportoQuotaUtente { get; set; }
    public decimal? ImportoQuotaSSN { get; set; }
    public decimal? ImportoQuotaRichiesta { get; set; }
    public decimal? ImportoSogliaISEE { get; set; }
    public decimal? OreServizioMensile { get; set; }
    public string PresaCarico { get; set; } = "";
    public string? AreaUtenza { get; set; }
}
