using System.Globalization;
using System.Xml;
using System.Xml.Schema;

namespace Siuss.Service.Flows;

/// <summary>A problem found while reading a flow: where, and what.</summary>
public sealed record FlowProblem(string Code, string Message, int Line = 0, int Position = 0);

/// <summary>
/// Reads a PS_PSA_SINA flow in one streaming pass, validating it against the project's XSD and
/// yielding one <see cref="Beneficiario"/> at a time; the flow is never held whole in memory.
/// </summary>
public sealed class PsPsaSinaFlowReader : IFlowReader, IDisposable
{
    private readonly XmlReader _reader;
    private readonly int _maxSchemaErrors;
    private readonly List<FlowProblem> _schemaErrors = [];
    private string? _flowName;

    /// <summary>Opens a reader over the flow bytes (the stream is not closed by this reader).</summary>
    public PsPsaSinaFlowReader(Stream flow, XmlSchemaSet schemas, long maxCharacters, int maxSchemaErrors)
    {
        _maxSchemaErrors = maxSchemaErrors;
        var settings = FlowSchemas.ValidatingSettings(schemas, maxCharacters);
        settings.ValidationEventHandler += OnValidation;
        _reader = XmlReader.Create(flow, settings);
    }

    /// <summary>The flow's identification, known once the first beneficiary has been read.</summary>
    public FlowIdentification? Identification { get; private set; }

    /// <summary>Schema violations seen so far.</summary>
    public IReadOnlyList<FlowProblem> SchemaErrors => _schemaErrors;

    /// <summary>True once the schema-error limit is reached: the caller should stop reading.</summary>
    public bool TooManyErrors => _schemaErrors.Count >= _maxSchemaErrors;

    /// <summary>Number of benefit records read so far.</summary>
    public int RecordCount { get; private set; }

    /// <summary>
    /// Yields beneficiaries in document order. Throws <see cref="XmlException"/> on malformed XML.
    /// Stops early when the schema-error limit is reached.
    /// </summary>
    public IEnumerable<Beneficiario> ReadBeneficiari()
    {
        Beneficiario? current = null;
        Prestazione? prestazione = null;
        List<string>? textTarget = null;
        var text = new System.Text.StringBuilder();

        while (!TooManyErrors && _reader.Read())
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    textTarget = null;
                    text.Clear();
                    switch (_reader.LocalName)
                    {
                        case "IdentificazioneFlusso":
                            _flowName = _reader.GetAttribute("Nome");
                            break;
                        case "Ente":
                            Identification = new FlowIdentification(
                                _flowName ?? "", Attr("Codice"), _reader.GetAttribute("Denominazione"),
                                Attr("Indirizzo"), Attr("CFOperatore"));
                            break;
                        case "Beneficiario":
                            if (current is not null) yield return current;
                            current = new Beneficiario { CodiceFiscale = Attr("CodiceFiscale") };
                            prestazione = null;
                            break;
                        case "Anagrafica" when current is not null:
                            ReadAnagrafica(current);
                            break;
                        case "Indirizzo" when current is not null:
                            current.Indirizzi.Add(new Indirizzo(
                                _reader.GetAttribute("CodiceRegione"), _reader.GetAttribute("CodiceComune"), Attr("CodiceNazione")));
                            break;
                        case "PrestazioniSociali" when current is not null:
                            prestazione = ReadPrestazione(++RecordCount);
                            current.Prestazioni.Add(prestazione);
                            break;
                        case "SINA" when prestazione is not null:
                            prestazione.Sina = ReadSina();
                            break;
                        case "CodicePrestazione" when prestazione?.Sina is not null:
                            textTarget = prestazione.Sina.NecessitaInterventiSociali;
                            break;
                        case "InvCiv" when prestazione?.Sina is not null:
                            textTarget = prestazione.Sina.InvaliditaCivile;
                            break;
                    }
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA when textTarget is not null:
                    // A value may come in pieces (CDATA sections, text around a comment): join them.
                    text.Append(_reader.Value);
                    break;
                case XmlNodeType.EndElement:
                    if (textTarget is not null) textTarget.Add(text.ToString().Trim());
                    textTarget = null;
                    text.Clear();
                    break;
            }
        }
        if (current is not null && !TooManyErrors) yield return current;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    private void OnValidation(object? sender, ValidationEventArgs e)
    {
        if (_schemaErrors.Count < _maxSchemaErrors)
            _schemaErrors.Add(new FlowProblem(Rules.RuleCodes.FlowSchemaInvalid, e.Message, e.Exception?.LineNumber ?? 0, e.Exception?.LinePosition ?? 0));
    }

    private string Attr(string name) => _reader.GetAttribute(name) ?? "";

    private void ReadAnagrafica(Beneficiario b)
    {
        b.Cognome = Attr("Cognome");
        b.Nome = Attr("Nome");
        b.AnnoNascita = Attr("AnnoNascita");
        b.LuogoNascita = Attr("LuogoNascita");
        b.Genere = Attr("Genere");
        b.CodiceCittadinanza = Attr("CodiceCittadinanza");
        b.CodiceSecondaCittadinanza = _reader.GetAttribute("CodiceSecondaCittadinanza");
    }

    private Prestazione ReadPrestazione(int progressivo) => new()
    {
        Progressivo = progressivo,
        TipoOperazione = _reader.GetAttribute("TipoOperazione") ?? "I",
        PresenzaProvaMezzi = Attr("PresenzaProvaMezzi"),
        CaratterePrestazione = _reader.GetAttribute("CaratterePrestazione"),
        NumeroProtocolloDSU = _reader.GetAttribute("NumeroProtocolloDSU"),
        AnnoProtocolloDSU = _reader.GetAttribute("AnnoProtocolloDSU"),
        DataDSU = Date("DataDSU"),
        CodicePrestazione = Attr("CodicePrestazione"),
        DenominazionePrestazione = Attr("DenominazionePrestazione"),
        ProtocolloDomanda = Attr("ProtocolloDomanda"),
        DataEvento = Date("DataEvento"),
        DataInizioPrestazione = Date("DataInizioPrestazione"),
        DataFinePrestazione = Date("DataFinePrestazione"),
        DataErogazionePrestazione = Date("DataErogazionePrestazione"),
        ImportoPrestazione = Amount("ImportoPrestazione"),
        PeriodoErogazione = int.TryParse(_reader.GetAttribute("PeriodoErogazione")?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var months) ? months : null,
        ImportoMensile = Amount("ImportoMensile"),
        ImportoQuotaEnte = Amount("ImportoQuotaEnte"),
        ImportoQuotaUtente = Amount("ImportoQuotaUtente"),
        ImportoQuotaSSN = Amount("ImportoQuotaSSN"),
        ImportoQuotaRichiesta = Amount("ImportoQuotaRichiesta"),
        ImportoSogliaISEE = Amount("ImportoSogliaISEE"),
        OreServizioMensile = Amount("OreServizioMensile"),
        PresaCarico = Attr("PresaCarico"),
        AreaUtenza = _reader.GetAttribute("AreaUtenza"),
    };

    private Sina ReadSina() => new()
    {
        Mobilita = Attr("Mobilita"),
        AttivitaVitaQuotidiana = Attr("AttivitaVitaQuotidiana"),
        DisturbiAreaCognitiva = _reader.GetAttribute("DisturbiAreaCognitiva"),
        DisturbiComportamentali = Attr("DisturbiComportamentali"),
        NecessitaCureSanitarie = _reader.GetAttribute("NecessitaCureSanitarie"),
        AreaReddituale = Attr("AreaReddituale"),
        AreaSupporto = Attr("AreaSupporto"),
        FonteDerivazioneValutazione = Attr("FonteDerivazioneValutazione"),
        StrumentoValutazione = Attr("StrumentoValutazione"),
        FonteDerivazioneInvalidita = _reader.GetAttribute("FonteDerivazioneInvalidita"),
    };

    // xs:date may carry a time-zone suffix; the register keeps the calendar date only.
    private DateOnly? Date(string name)
    {
        var value = _reader.GetAttribute(name)?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length < 10) return null;
        return DateOnly.TryParseExact(value.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    private decimal? Amount(string name)
    {
        var value = _reader.GetAttribute(name)?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        return decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : null;
    }
}
