using System.Globalization;
using CsvHelper;
using Siuss.Contracts.Reconciliation;

namespace Siuss.Client.Reconciliation;

/// <summary>
/// Reads a body's CSV export of its benefit records: one row per record, a header naming the columns
/// (the <see cref="RecordContent"/> fields, any order, any case; the fiscal code is upper-cased as the register keeps it) and one state column, either <c>Stato</c>
/// (<c>ATTIVA</c>, the default when empty, or <c>ANNULLATA</c>) or <c>TipoOperazione</c> (<c>I</c> or <c>C</c>,
/// applied in row order like a flow). Dates <c>yyyy-MM-dd</c>, numbers with a point; the separator
/// (<c>,</c> <c>;</c> tab or <c>|</c>) is detected. <c>DataRiferimento</c> may be left out: it is then the start
/// of a periodic benefit and the payment date of a one-off one, as the register takes it.
/// </summary>
public static class CsvRecordContents
{
    /// <summary>The state column of a database export.</summary>
    public const string Stato = "Stato";
    /// <summary>The alternative state column: the operations of a log, in order.</summary>
    public const string TipoOperazione = "TipoOperazione";

    /// <summary>Every content column, in the order of the published canonical text.</summary>
    public static readonly IReadOnlyList<string> ContentColumns =
    [
        "CodiceFiscale", "CodicePrestazione", "ProtocolloDomanda", "DataRiferimento", "DenominazionePrestazione",
        "PresenzaProvaMezzi", "CaratterePrestazione", "NumeroProtocolloDSU", "AnnoProtocolloDSU", "DataDSU", "DataEvento",
        "DataInizioPrestazione", "DataFinePrestazione", "DataErogazionePrestazione", "ImportoPrestazione", "PeriodoErogazione",
        "ImportoMensile", "ImportoQuotaEnte", "ImportoQuotaUtente", "ImportoQuotaSSN", "ImportoQuotaRichiesta", "ImportoSogliaISEE",
        "OreServizioMensile", "PresaCarico", "AreaUtenza",
    ];

    private static readonly string[] RequiredColumns = ["CodiceFiscale", "CodicePrestazione", "ProtocolloDomanda"];

    /// <summary>Reads a CSV file into <paramref name="records"/>.</summary>
    public static void Read(string path, LocalRecordSet records)
    {
        using var stream = File.OpenRead(path);
        Read(stream, Path.GetFileName(path), records);
    }

    /// <summary>Reads CSV bytes (UTF-8, or UTF-16 with a byte order mark) into <paramref name="records"/>; <paramref name="name"/> names it in messages.</summary>
    public static void Read(Stream csvStream, string name, LocalRecordSet records)
    {
        var options = new CsvReaderOptions
        {
            // Text is compared exactly as the register stores it: nothing is trimmed.
            TrimWhitespace = false,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Throw,
            // The values are personal data: errors name the line and column only.
            IncludeValuesInExceptions = false,
            MaxRecordSize = 1024 * 1024,
        };
        try
        {
            using var csv = CsvReader.Create(csvStream, options);
            var columns = Columns(csv, name);
            while (csv.Read())
            {
                var line = (int)csv.LineNumber;
                var row = new Row(csv, columns, name, line);
                var content = row.Content();
                var source = new LocalSource(name, line, "line");
                switch (row.State())
                {
                    case RowState.Insert: records.Insert(content, source); break;
                    case RowState.Cancel: records.Cancel(content, source); break;
                    default: records.Cancelled(content, source); break;
                }
            }
        }
        catch (CsvFormatException e)
        {
            throw new LocalExportException($"{name} is not a well-formed CSV file: {e.Message}");
        }
    }

    private static Dictionary<string, int> Columns(CsvReader csv, string name)
    {
        csv.ReadHeader();
        var known = ContentColumns.Append(Stato).Append(TipoOperazione).ToList();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var headers = csv.Headers;
        if (headers.Count == 0) throw new LocalExportException($"{name} has no header line; see the README for the columns.");
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i].Trim();
            var column = known.FirstOrDefault(k => string.Equals(k, header, StringComparison.OrdinalIgnoreCase))
                ?? throw new LocalExportException($"{name}: unknown column '{header}' (the columns are {string.Join(", ", known)}).");
            if (!columns.TryAdd(column, i)) throw new LocalExportException($"{name}: column {column} appears twice.");
        }
        foreach (var required in RequiredColumns.Where(r => !columns.ContainsKey(r)))
            throw new LocalExportException($"{name}: column {required} is missing.");
        if (columns.ContainsKey(Stato) && columns.ContainsKey(TipoOperazione))
            throw new LocalExportException($"{name}: give either a {Stato} or a {TipoOperazione} column, not both.");
        return columns;
    }

    private enum RowState { Insert, Cancel, KnownCancelled }

    /// <summary>One data row, read by column name, with errors that name the line and the column.</summary>
    private readonly struct Row(CsvReader csv, Dictionary<string, int> columns, string file, int line)
    {
        public RecordContent Content()
        {
            var content = new RecordContent
            {
                // The register keeps fiscal codes upper-cased without trailing blanks (FlowRecordContents reads flows the same way).
                CodiceFiscale = Required("CodiceFiscale").TrimEnd(' ').ToUpperInvariant(),
                CodicePrestazione = Required("CodicePrestazione"),
                ProtocolloDomanda = Required("ProtocolloDomanda"),
                DenominazionePrestazione = Text("DenominazionePrestazione") ?? "",
                PresenzaProvaMezzi = Text("PresenzaProvaMezzi") ?? "",
                CaratterePrestazione = Text("CaratterePrestazione"),
                NumeroProtocolloDSU = Text("NumeroProtocolloDSU"),
                AnnoProtocolloDSU = Text("AnnoProtocolloDSU"),
                DataDSU = Date("DataDSU"),
                DataEvento = Date("DataEvento"),
                DataInizioPrestazione = Date("DataInizioPrestazione"),
                DataFinePrestazione = Date("DataFinePrestazione"),
                DataErogazionePrestazione = Date("DataErogazionePrestazione"),
                ImportoPrestazione = Number("ImportoPrestazione"),
                PeriodoErogazione = Integer("PeriodoErogazione"),
                ImportoMensile = Number("ImportoMensile"),
                ImportoQuotaEnte = Number("ImportoQuotaEnte"),
                ImportoQuotaUtente = Number("ImportoQuotaUtente"),
                ImportoQuotaSSN = Number("ImportoQuotaSSN"),
                ImportoQuotaRichiesta = Number("ImportoQuotaRichiesta"),
                ImportoSogliaISEE = Number("ImportoSogliaISEE"),
                OreServizioMensile = Number("OreServizioMensile"),
                PresaCarico = Text("PresaCarico") ?? "",
                AreaUtenza = Text("AreaUtenza"),
            };
            content.DataRiferimento = Date("DataRiferimento") ?? ReferenceDate.Of(content)
                ?? throw Error("DataRiferimento", "is empty, and so are DataInizioPrestazione and DataErogazionePrestazione it would be taken from");
            return content;
        }

        public RowState State()
        {
            if (Text(Stato) is { } stato)
                return stato switch
                {
                    "ATTIVA" => RowState.Insert,
                    "ANNULLATA" => RowState.KnownCancelled,
                    _ => throw Error(Stato, "must be ATTIVA or ANNULLATA"),
                };
            if (Text(TipoOperazione) is { } tipo)
                return tipo switch
                {
                    "I" => RowState.Insert,
                    "C" => RowState.Cancel,
                    _ => throw Error(TipoOperazione, "must be I or C"),
                };
            return RowState.Insert;
        }

        private string? Text(string column)
        {
            if (!columns.TryGetValue(column, out var index)) return null;
            var value = csv.GetString(index);
            return value.Length == 0 ? null : value;
        }

        private string Required(string column) => Text(column) ?? throw Error(column, "is empty");

        private DateOnly? Date(string column) =>
            Text(column) is not { } text ? null
            : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
            : throw Error(column, "is not a date yyyy-MM-dd");

        private decimal? Number(string column) =>
            Text(column) is not { } text ? null
            : decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number
            : throw Error(column, "is not a number with a decimal point (e.g. 150.50)");

        private int? Integer(string column) =>
            Text(column) is not { } text ? null
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
            : throw Error(column, "is not a whole number");

        private LocalExportException Error(string column, string problem) => new($"{file} line {line}, column {column}: {problem}.");
    }
}
