using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Schema;
using Siuss.Contracts;
using Siuss.Service.Rules;

namespace Siuss.Service.Flows;

/// <summary>
/// Reads a SINBA flow in one streaming pass, validating it against the project's SINBA XSD
/// (pass <c>FlowSchemas.Compile("SINBA.xsd")</c>, compiled once by the caller) and yielding one
/// <see cref="SinbaRecord"/> at a time; the flow is never held whole in memory.
/// </summary>
/// <remarks>
/// A record is yielded when its closing tag has been read, so every schema error inside it is
/// already in <see cref="SchemaErrors"/>. As with <see cref="PsPsaSinaFlowReader"/>, records of a
/// flow with schema errors describe a document the register did not understand: the caller
/// should only keep reading to list the errors. <c>IDBeneficiario</c> is anonymous: the reader
/// copies it as sent and never interprets it, and withholds its value from schema-error messages
/// (they reach the receipt, and the value may be a fiscal code sent by mistake).
/// </remarks>
public sealed partial class SinbaFlowReader : IFlowReader, IDisposable
{
    private const string IdBeneficiarioAttribute = "IDBeneficiario";

    private readonly XmlReader _reader;
    private readonly int _maxSchemaErrors;
    private readonly List<FlowProblem> _schemaErrors = [];
    private string? _flowName;

    /// <summary>Opens a reader over the flow bytes (the stream is not closed by this reader).</summary>
    public SinbaFlowReader(Stream flow, XmlSchemaSet schemas, long maxCharacters, int maxSchemaErrors)
    {
        _maxSchemaErrors = maxSchemaErrors;
        var settings = FlowSchemas.ValidatingSettings(schemas, maxCharacters);
        settings.ValidationEventHandler += OnValidation;
        _reader = XmlReader.Create(flow, settings);
    }

    /// <summary>The flow's identification, known once the first record has been read.</summary>
    public FlowIdentification? Identification { get; private set; }

    /// <summary>Schema violations seen so far.</summary>
    public IReadOnlyList<FlowProblem> SchemaErrors => _schemaErrors;

    /// <summary>True once the schema-error limit is reached: the caller should stop reading.</summary>
    public bool TooManyErrors => _schemaErrors.Count >= _maxSchemaErrors;

    /// <summary>Number of SINBA records started so far.</summary>
    public int RecordCount { get; private set; }

    /// <summary>
    /// Yields SINBA records in document order. Throws <see cref="XmlException"/> on malformed XML
    /// or a DTD. Stops early, without yielding the record in progress, when the schema-error
    /// limit is reached.
    /// </summary>
    public IEnumerable<SinbaRecord> ReadRecords()
    {
        SinbaRecord? current = null;
        List<string>? textTarget = null;
        var text = new StringBuilder();

        while (!TooManyErrors && _reader.Read())
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element when _reader.NamespaceURI == Namespaces.Casellario:
                    textTarget = null;
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
                        case "SINBA":
                            current = ReadSinba(++RecordCount);
                            if (_reader.IsEmptyElement)
                            {
                                yield return current;
                                current = null;
                            }
                            break;
                        case "CodicePrestazione" when current is not null:
                            textTarget = StartText(current.CodiciPrestazione, text);
                            break;
                        case "ComposizioneFamiglia" when current is not null:
                            textTarget = StartText(current.ComposizioneFamiglia, text);
                            break;
                    }
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (textTarget is not null) text.Append(_reader.Value);
                    break;
                case XmlNodeType.EndElement:
                    if (textTarget is not null)
                    {
                        textTarget.Add(text.ToString().Trim());
                        textTarget = null;
                    }
                    else if (current is not null && _reader.LocalName == "SINBA" && _reader.NamespaceURI == Namespaces.Casellario)
                    {
                        yield return current;
                        current = null;
                    }
                    break;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    // An element with text content: collect its text until its end tag (an empty element has none).
    private List<string>? StartText(List<string> target, StringBuilder text)
    {
        text.Clear();
        if (!_reader.IsEmptyElement) return target;
        target.Add("");
        return null;
    }

    private void OnValidation(object? sender, ValidationEventArgs e)
    {
        if (_schemaErrors.Count < _maxSchemaErrors)
            _schemaErrors.Add(new FlowProblem(RuleCodes.FlowSchemaInvalid, WithholdIdBeneficiario(e.Message),
                e.Exception?.LineNumber ?? 0, e.Exception?.LinePosition ?? 0));
    }

    [GeneratedRegex(@"'.*'", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex QuotedValue();

    /// <summary>
    /// .NET quotes the offending value in its messages ("The 'IDBeneficiario' attribute is invalid -
    /// The value '...' is invalid ..."). For IDBeneficiario that value could identify a child, so
    /// everything quoted after the attribute's name is withheld.
    /// </summary>
    internal static string WithholdIdBeneficiario(string message)
    {
        var marker = $"'{IdBeneficiarioAttribute}'";
        var at = message.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return message;
        var head = message[..(at + marker.Length)];
        var tail = QuotedValue().Replace(message[(at + marker.Length)..], "(value withheld: IDBeneficiario is anonymous)");
        return head + tail;
    }

    private string Attr(string name) => _reader.GetAttribute(name) ?? "";

    private SinbaRecord ReadSinba(int progressivo) => new()
    {
        Progressivo = progressivo,
        IdBeneficiario = Attr(IdBeneficiarioAttribute),
        MinoreStranieroNoAcc = Attr("MinoreStranieroNoAcc"),
        CondizioneMinore = Attr("CondizioneMinore"),
        LuogoVita = Attr("LuogoVita"),
        ScuolaFrequentata = Attr("ScuolaFrequentata"),
        CondizioneLavoro = Attr("CondizioneLavoro"),
        Disabilita = Attr("Disabilita"),
        TipoDisabilita = _reader.GetAttribute("TipoDisabilita"),
        InvCivCertificazioni = _reader.GetAttribute("InvCivCertificazioni"),
        CodiceCittadinanzaPadre = _reader.GetAttribute("CodiceCittadinanzaPadre"),
        CodiceCittadinanzaMadre = _reader.GetAttribute("CodiceCittadinanzaMadre"),
        CodiceRegioneResidenzaPadre = _reader.GetAttribute("CodiceRegioneResidenzaPadre"),
        CodiceRegioneResidenzaMadre = _reader.GetAttribute("CodiceRegioneResidenzaMadre"),
        TitoloStudioPadre = _reader.GetAttribute("TitoloStudioPadre"),
        TitoloStudioMadre = _reader.GetAttribute("TitoloStudioMadre"),
        OccupazionePadre = _reader.GetAttribute("OccupazionePadre"),
        OccupazioneMadre = _reader.GetAttribute("OccupazioneMadre"),
        DataPrimaSegnalazione = Month("DataPrimaSegnalazione"),
        FonteSegnalazione = Attr("FonteSegnalazione"),
        ValutazioneMinore = Attr("ValutazioneMinore"),
        ValutazioneFamigliaMinore = Attr("ValutazioneFamigliaMinore"),
        SegnalazioneAutoritaGiudiziaria = Attr("SegnalazioneAutoritaGiudiziaria"),
        DataSegnalazione = Month("DataSegnalazione"),
        ProvvedimentoGiudiziario = Attr("ProvvedimentoGiudiziario"),
        DataProvvedimentoGiudiziario = Month("DataProvvedimentoGiudiziario"),
        AutoritaProvvedimento = _reader.GetAttribute("AutoritaProvvedimento"),
        PotestaTutela = _reader.GetAttribute("PotestaTutela"),
        TipoProvvedimentoGiudiziario = _reader.GetAttribute("TipoProvvedimentoGiudiziario"),
        FormaInterventoAffido = _reader.GetAttribute("FormaInterventoAffido"),
        TipoInterventoAffido = _reader.GetAttribute("TipoInterventoAffido"),
        DurataAffido = _reader.GetAttribute("DurataAffido"),
        CarattereAffido = _reader.GetAttribute("CarattereAffido"),
        EsitoAffido = _reader.GetAttribute("EsitoAffido"),
        CarattereInserimentoResidenziale = _reader.GetAttribute("CarattereInserimentoResidenziale"),
        FormaInserimentoResidenziale = _reader.GetAttribute("FormaInserimentoResidenziale"),
        TipoInserimentoResidenziale = _reader.GetAttribute("TipoInserimentoResidenziale"),
        EsitoInserimentoStruttura = _reader.GetAttribute("EsitoInserimentoStruttura"),
        MotivazioneChiusuraCarico = _reader.GetAttribute("MotivazioneChiusuraCarico"),
        SituazioneChiusuraCarico = _reader.GetAttribute("SituazioneChiusuraCarico"),
        CollaborazioniInterventi = _reader.GetAttribute("CollaborazioniInterventi"),
        // xs:int: surrounding whitespace collapses, a sign and leading zeros are allowed.
        NumeroComponentiISEE = int.TryParse(_reader.GetAttribute("NumeroComponentiISEE")?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var members) ? members : null,
        FasciaEtaBeneficiario = Attr("FasciaEtaBeneficiario"),
        FasciaISEEBeneficiario = _reader.GetAttribute("FasciaISEEBeneficiario"),
        AnnoNascita = Attr("AnnoNascita"),
        CodiceRegioneResidenza = _reader.GetAttribute("CodiceRegioneResidenza"),
        CodiceNazioneResidenza = Attr("CodiceNazioneResidenza"),
    };

    // MM/YYYY is an xs:string pattern: no whitespace is collapsed, so none is trimmed here.
    private MeseAnno? Month(string name) => MeseAnno.TryParse(_reader.GetAttribute(name), out var month) ? month : null;
}
