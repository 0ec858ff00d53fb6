using System.Globalization;
using System.Xml;
using Siuss.Contracts.Reconciliation;
using Siuss.Signing;

namespace Siuss.Client.Reconciliation;

/// <summary>One <c>PrestazioniSociali</c> record of a flow file: its operation (<c>I</c> or <c>C</c>) and the content reconciliation compares.</summary>
public sealed record FlowRecord(string TipoOperazione, RecordContent Content)
{
    /// <summary>The record's natural key with its content digest, as the register publishes it.</summary>
    public KeyedDigest Keyed => FlowRecordContents.Keyed(Content);
}

/// <summary>
/// Reads the records of an official PS_PSA_SINA flow file into <see cref="RecordContent"/>, field by field
/// the way the register reads them (fiscal code upper-cased without trailing blanks, dates cut to
/// <c>yyyy-MM-dd</c>, amounts as xs:decimal), so a body's digests equal the register's for the same record.
/// The file is not validated: a record the register would have refused has no counterpart there anyway.
/// </summary>
public static class FlowRecordContents
{
    /// <summary>The largest flow file read (the register's own limit is smaller).</summary>
    public const long MaxCharacters = 256L * 1024 * 1024;

    /// <summary>Reads a flow file from disk.</summary>
    public static IReadOnlyList<FlowRecord> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <summary>
    /// Reads every record of the flow in document order. Records without a reference date (start date for a
    /// periodic benefit, payment date for a one-off) are skipped: the register refuses them.
    /// Throws <see cref="XmlException"/> for malformed XML or a DTD, and <see cref="FormatException"/> for an
    /// amount that is not an xs:decimal (e.g. <c>1e2</c>, which the flow schema refuses).
    /// </summary>
    public static IReadOnlyList<FlowRecord> Read(Stream flow)
    {
        var records = new List<FlowRecord>();
        // Untrusted input: no DTD, no resolver, bounded size.
        using var reader = XmlReader.Create(flow, SafeXml.ReaderSettings(MaxCharacters));
        string codiceFiscale = "";
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            switch (reader.LocalName)
            {
                case "Beneficiario":
                    codiceFiscale = NormalizeFiscalCode(reader.GetAttribute("CodiceFiscale") ?? "");
                    break;
                case "PrestazioniSociali":
                    var record = ReadRecord(reader, codiceFiscale);
                    if (record is not null) records.Add(record);
                    break;
            }
        }
        return records;
    }

    /// <summary>
    /// Applies records in the order the body sent them (flows in order, records in file order): an insert adds its
    /// key, a cancellation removes it. The result is what the register holds active for those flows.
    /// </summary>
    public static IReadOnlyDictionary<string, RecordContent> ActiveRecords(IEnumerable<FlowRecord> recordsInOrder)
    {
        var active = new Dictionary<string, RecordContent>(StringComparer.Ordinal);
        foreach (var r in recordsInOrder)
        {
            var key = Keyed(r.Content).Key;
            if (r.TipoOperazione == "C") active.Remove(key);
            else active[key] = r.Content;
        }
        return active;
    }

    /// <summary>The natural key and content digest of a record.</summary>
    public static KeyedDigest Keyed(RecordContent c) =>
        new(c.CodiceFiscale, c.CodicePrestazione, c.ProtocolloDomanda, c.DataRiferimento, RecordDigest.Compute(c));

    private static FlowRecord? ReadRecord(XmlReader reader, string codiceFiscale)
    {
        string? Text(string name) => reader.GetAttribute(name);
        var carattere = Text("CaratterePrestazione");
        var inizio = Date(Text("DataInizioPrestazione"));
        var erogazione = Date(Text("DataErogazionePrestazione"));
        // The register's natural-key date: the start for periodic benefits, the payment (else the start) for one-off ones.
        var riferimento = carattere == "1" ? inizio : erogazione ?? inizio;
        if (riferimento is null) return null;
        var content = new RecordContent
        {
            CodiceFiscale = codiceFiscale,
            CodicePrestazione = Text("CodicePrestazione") ?? "",
            ProtocolloDomanda = Text("ProtocolloDomanda") ?? "",
            DataRiferimento = riferimento.Value,
            DenominazionePrestazione = Text("DenominazionePrestazione") ?? "",
            PresenzaProvaMezzi = Text("PresenzaProvaMezzi") ?? "",
            CaratterePrestazione = carattere,
            NumeroProtocolloDSU = Text("NumeroProtocolloDSU"),
            AnnoProtocolloDSU = Text("AnnoProtocolloDSU"),
            DataDSU = Date(Text("DataDSU")),
            DataEvento = Date(Text("DataEvento")),
            DataInizioPrestazione = inizio,
            DataFinePrestazione = Date(Text("DataFinePrestazione")),
            DataErogazionePrestazione = erogazione,
            ImportoPrestazione = Amount(Text("ImportoPrestazione")),
            PeriodoErogazione = int.TryParse(Text("PeriodoErogazione")?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var months) ? months : null,
            ImportoMensile = Amount(Text("ImportoMensile")),
            ImportoQuotaEnte = Amount(Text("ImportoQuotaEnte")),
            ImportoQuotaUtente = Amount(Text("ImportoQuotaUtente")),
            ImportoQuotaSSN = Amount(Text("ImportoQuotaSSN")),
            ImportoQuotaRichiesta = Amount(Text("ImportoQuotaRichiesta")),
            ImportoSogliaISEE = Amount(Text("ImportoSogliaISEE")),
            OreServizioMensile = Amount(Text("OreServizioMensile")),
            PresaCarico = Text("PresaCarico") ?? "",
            AreaUtenza = Text("AreaUtenza"),
        };
        return new FlowRecord(Text("TipoOperazione") ?? "I", content);
    }

    private static string NormalizeFiscalCode(string value) => value.TrimEnd(' ').ToUpperInvariant();

    // xs:date may carry a time-zone suffix; the register keeps the calendar date only.
    private static DateOnly? Date(string? value)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length < 10) return null;
        return DateOnly.TryParseExact(value.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    // xs:decimal: optional sign, digits, optional point; no exponent, no grouping.
    private static decimal? Amount(string? value)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        return decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new FormatException($"'{value}' is not an xs:decimal amount.");
    }
}
