using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Siuss.Contracts.Reconciliation;

/// <summary>
/// The published digest of a record's content, computed the same way by the register and by a body's
/// reconciliation job: lowercase hex SHA-256 of the UTF-8 canonical text, one <c>Name=value</c> line (LF)
/// per field present, in the order of <see cref="Canonical"/>; dates <c>yyyy-MM-dd</c>, numbers invariant
/// without trailing zeros (150.50 -> 150.5), <c>CodiceFiscale</c> as the register keys it (upper case, trailing
/// blanks removed), other text exactly as sent.
/// </summary>
public static class RecordDigest
{
    /// <summary>The digest of one record's content.</summary>
    public static string Compute(RecordContent record) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(record))));

    /// <summary>The canonical text the digest is taken of (useful to see why two digests differ).</summary>
    public static string Canonical(RecordContent r)
    {
        var text = new StringBuilder(512);
        Line(text, "CodiceFiscale", r.CodiceFiscale);
        Line(text, "CodicePrestazione", r.CodicePrestazione);
        Line(text, "ProtocolloDomanda", r.ProtocolloDomanda);
        Line(text, "DataRiferimento", Date(r.DataRiferimento));
        Line(text, "DenominazionePrestazione", r.DenominazionePrestazione);
        Line(text, "PresenzaProvaMezzi", r.PresenzaProvaMezzi);
        Line(text, "CaratterePrestazione", r.CaratterePrestazione);
        Line(text, "NumeroProtocolloDSU", r.NumeroProtocolloDSU);
        Line(text, "AnnoProtocolloDSU", r.AnnoProtocolloDSU);
        Line(text, "DataDSU", Date(r.DataDSU));
        Line(text, "DataEvento", Date(r.DataEvento));
        Line(text, "DataInizioPrestazione", Date(r.DataInizioPrestazione));
        Line(text, "DataFinePrestazione", Date(r.DataFinePrestazione));
        Line(text, "DataErogazionePrestazione", Date(r.DataErogazionePrestazione));
        Line(text, "ImportoPrestazione", Number(r.ImportoPrestazione));
        Line(text, "PeriodoErogazione", r.PeriodoErogazione?.ToString(CultureInfo.InvariantCulture));
        Line(text, "ImportoMensile", Number(r.ImportoMensile));
        Line(text, "ImportoQuotaEnte", Number(r.ImportoQuotaEnte));
        Line(text, "ImportoQuotaUtente", Number(r.ImportoQuotaUtente));
        Line(text, "ImportoQuotaSSN", Number(r.ImportoQuotaSSN));
        Line(text, "ImportoQuotaRichiesta", Number(r.ImportoQuotaRichiesta));
        Line(text, "ImportoSogliaISEE", Number(r.ImportoSogliaISEE));
        Line(text, "OreServizioMensile", Number(r.OreServizioMensile));
        Line(text, "PresaCarico", r.PresaCarico);
        Line(text, "AreaUtenza", r.AreaUtenza);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        text.Append(name).Append('=').Append(value).Append('\n');
    }

    private static string? Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Number(decimal? value) => value?.ToString("0.############################", CultureInfo.InvariantCulture);
}
