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
/// already in <see cref="FlowReader.SchemaErrors"/>. As with <see cref="PsPsaSinaFlowReader"/>, records of a
/// flow with schema errors describe a document the register did not understand: the caller
/// should only keep reading to list the errors. <c>IDBeneficiario</c> is anonymous: the reader
/// copies it as sent and never interprets it, and withholds its value from schema-error messages
/// (they reach the receipt, and the value may be a fiscal code sent by mistake).
/// </remarks>
public sealed partial class SinbaFlowReader(Stream flow, XmlSchemaSet schemas, long maxCharacters, int maxSchemaErrors)
    : FlowReader(flow, schemas, maxCharacters, maxSchemaErrors)
{
    private const string IdBeneficiarioAttribute = "IDBeneficiario";

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

        while (!TooManyErrors && Reader.Read())
        {
            switch (Reader.NodeType)
            {
                case XmlNodeType.Element when Reader.NamespaceURI == Namespaces.Casellario:
                    textTarget = null;
                    if (TryReadIdentification()) break;
                    switch (Reader.LocalName)
                    {
                        case "SINBA":
                            current = ReadSinba(++RecordCount);
                            if (Reader.IsEmptyElement)
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
                    if (textTarget is not null) text.Append(Reader.Value);
                    break;
                case XmlNodeType.EndElement:
                    if (textTarget is not null)
                    {
                        textTarget.Add(text.ToString().Trim());
                        textTarget = null;
                    }
                    else if (current is not null && Reader.LocalName == "SINBA" && Reader.NamespaceURI == Namespaces.Casellario)
                    {
                        yield return current;
                        current = null;
                    }
                    break;
            }
        }
    }

    // An element with text content: collect its text until its end tag (an empty element has none).
    private List<string>? StartText(List<string> target, StringBuilder text)
    {
        text.Clear();
        if (!Reader.IsEmptyElement) return target;
        target.Add("");
        return null;
    }

    /// <inheritdoc />
    protected override string DescribeSchemaError(string message) => WithholdIdBeneficiario(message);

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
        TipoDisabilita = Reader.GetAttribute("TipoDisabilita"),
        InvCivCertificazioni = Reader.GetAttribute("InvCivCertificazioni"),
        CodiceCittadinanzaPadre = Reader.GetAttribute("CodiceCittadinanzaPadre"),
        CodiceCittadinanzaMadre = Reader.GetAttribute("CodiceCittadinanzaMadre"),
        CodiceRegioneResidenzaPadre = Reader.GetAttribute("CodiceRegioneResidenzaPadre"),
        CodiceRegioneResidenzaMadre = Reader.GetAttribute("CodiceRegioneResidenzaMadre"),
        TitoloStudioPadre = Reader.GetAttribute("TitoloStudioPadre"),
        TitoloStudioMadre = Reader.GetAttribute("TitoloStudioMadre"),
        OccupazionePadre = Reader.GetAttribute("OccupazionePadre"),
        OccupazioneMadre = Reader.GetAttribute("OccupazioneMadre"),
        DataPrimaSegnalazione = Month("DataPrimaSegnalazione"),
        FonteSegnalazione = Attr("FonteSegnalazione"),
        ValutazioneMinore = Attr("ValutazioneMinore"),
        ValutazioneFamigliaMinore = Attr("ValutazioneFamigliaMinore"),
        SegnalazioneAutoritaGiudiziaria = Attr("SegnalazioneAutoritaGiudiziaria"),
        DataSegnalazione = Month("DataSegnalazione"),
        ProvvedimentoGiudiziario = Attr("ProvvedimentoGiudiziario"),
        DataProvvedimentoGiudiziario = Month("DataProvvedimentoGiudiziario"),
        AutoritaProvvedimento = Reader.GetAttribute("AutoritaProvvedimento"),
        PotestaTutela = Reader.GetAttribute("PotestaTutela"),
        TipoProvvedimentoGiudiziario = Reader.GetAttribute("TipoProvvedimentoGiudiziario"),
        FormaInterventoAffido = Reader.GetAttribute("FormaInterventoAffido"),
        TipoInterventoAffido = Reader.GetAttribute("TipoInterventoAffido"),
        DurataAffido = Reader.GetAttribute("DurataAffido"),
        CarattereAffido = Reader.GetAttribute("CarattereAffido"),
        EsitoAffido = Reader.GetAttribute("EsitoAffido"),
        CarattereInserimentoResidenziale = Reader.GetAttribute("CarattereInserimentoResidenziale"),
        FormaInserimentoResidenziale = Reader.GetAttribute("FormaInserimentoResidenziale"),
        TipoInserimentoResidenziale = Reader.GetAttribute("TipoInserimentoResidenziale"),
        EsitoInserimentoStruttura = Reader.GetAttribute("EsitoInserimentoStruttura"),
        MotivazioneChiusuraCarico = Reader.GetAttribute("MotivazioneChiusuraCarico"),
        SituazioneChiusuraCarico = Reader.GetAttribute("SituazioneChiusuraCarico"),
        CollaborazioniInterventi = Reader.GetAttribute("CollaborazioniInterventi"),
        // xs:int: surrounding whitespace collapses, a sign and leading zeros are allowed.
        NumeroComponentiISEE = int.TryParse(Reader.GetAttribute("NumeroComponentiISEE")?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var members) ? members : null,
        FasciaEtaBeneficiario = Attr("FasciaEtaBeneficiario"),
        FasciaISEEBeneficiario = Reader.GetAttribute("FasciaISEEBeneficiario"),
        AnnoNascita = Attr("AnnoNascita"),
        CodiceRegioneResidenza = Reader.GetAttribute("CodiceRegioneResidenza"),
        CodiceNazioneResidenza = Attr("CodiceNazioneResidenza"),
    };

    // MM/YYYY is an xs:string pattern: no whitespace is collapsed, so none is trimmed here.
    private MeseAnno? Month(string name) => MeseAnno.TryParse(Reader.GetAttribute(name), out var month) ? month : null;
}
