using Siuss.Contracts.Reconciliation;

namespace Siuss.Service.Flows;

/// <summary>Maps a parsed record to the published <see cref="RecordContent"/> whose digest reconciliation compares.</summary>
public static class RecordContents
{
    /// <summary>The content of <paramref name="p"/> for the beneficiary <paramref name="fiscalCode"/> (already normalised).</summary>
    public static RecordContent From(string fiscalCode, Prestazione p) => new()
    {
        CodiceFiscale = fiscalCode,
        CodicePrestazione = p.CodicePrestazione,
        ProtocolloDomanda = p.ProtocolloDomanda,
        DataRiferimento = p.DataRiferimento ?? default,
        DenominazionePrestazione = p.DenominazionePrestazione,
        PresenzaProvaMezzi = p.PresenzaProvaMezzi,
        CaratterePrestazione = p.CaratterePrestazione,
        NumeroProtocolloDSU = p.NumeroProtocolloDSU,
        AnnoProtocolloDSU = p.AnnoProtocolloDSU,
        DataDSU = p.DataDSU,
        DataEvento = p.DataEvento,
        DataInizioPrestazione = p.DataInizioPrestazione,
        DataFinePrestazione = p.DataFinePrestazione,
        DataErogazionePrestazione = p.DataErogazionePrestazione,
        ImportoPrestazione = p.ImportoPrestazione,
        PeriodoErogazione = p.PeriodoErogazione,
        ImportoMensile = p.ImportoMensile,
        ImportoQuotaEnte = p.ImportoQuotaEnte,
        ImportoQuotaUtente = p.ImportoQuotaUtente,
        ImportoQuotaSSN = p.ImportoQuotaSSN,
        ImportoQuotaRichiesta = p.ImportoQuotaRichiesta,
        ImportoSogliaISEE = p.ImportoSogliaISEE,
        OreServizioMensile = p.OreServizioMensile,
        PresaCarico = p.PresaCarico,
        AreaUtenza = p.AreaUtenza,
    };

    /// <summary>The published digest of <paramref name="p"/>'s content.</summary>
    public static string Digest(string fiscalCode, Prestazione p) => RecordDigest.Compute(From(fiscalCode, p));
}
