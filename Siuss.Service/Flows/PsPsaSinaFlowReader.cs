using System.Globalization;
using System.Xml;
using System.Xml.Schema;

namespace Siuss.Service.Flows;

/// <summary>
/// Reads a PS_PSA_SINA flow in one streaming pass, validating it against the project's XSD and
/// yielding one <see cref="Beneficiario"/> at a time; the flow is never held whole in memory.
/// </summary>
public sealed class PsPsaSinaFlowReader(Stream flow, XmlSchemaSet schemas, long maxCharacters, int maxSchemaErrors)
    : FlowReader(flow, schemas, maxCharacters, maxSchemaErrors)
{
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

        while (!TooManyErrors && Reader.Read())
        {
            switch (Reader.NodeType)
            {
                case XmlNodeType.Element:
                    textTarget = null;
                    text.Clear();
                    if (TryReadIdentification()) break;
                    switch (Reader.LocalName)
                    {
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
                                Reader.GetAttribute("CodiceRegione"), Reader.GetAttribute("CodiceComune"), Attr("CodiceNazione")));
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
                    text.Append(Reader.Value);
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

    private void ReadAnagrafica(Beneficiario b)
    {
        b.Cognome = Attr("Cognome");
        b.Nome = Attr("Nome");
        b.AnnoNascita = Attr("AnnoNascita");
        b.LuogoNascita = Attr("LuogoNascita");
        b.Genere = Attr("Genere");
        b.CodiceCittadinanza = Attr("CodiceCittadinanza");
        b.CodiceSecondaCittadinanza = Reader.GetAttribute("CodiceSecondaCittadinanza");
    }

    private Prestazione ReadPrestazione(int progressivo) => new()
    {
        Progressivo = progressivo,
        TipoOperazione = Reader.GetAttribute("TipoOperazione") ?? "I",
        PresenzaProvaMezzi = Attr("PresenzaProvaMezzi"),
        CaratterePrestazione = Reader.GetAttribute("CaratterePrestazione"),
        NumeroProtocolloDSU = Reader.GetAttribute("NumeroProtocolloDSU"),
        AnnoProtocolloDSU = Reader.GetAttribute("AnnoProtocolloDSU"),
        DataDSU = Date("DataDSU"),
        CodicePrestazione = Attr("CodicePrestazione"),
        DenominazionePrestazione = Attr("DenominazionePrestazione"),
        ProtocolloDomanda = Attr("ProtocolloDomanda"),
        DataEvento = Date("DataEvento"),
        DataInizioPrestazione = Date("DataInizioPrestazione"),
        DataFinePrestazione = Date("DataFinePrestazione"),
        DataErogazionePrestazione = Date("DataErogazionePrestazione"),
        ImportoPrestazione = Amount("ImportoPrestazione"),
        PeriodoErogazione = int.TryParse(Reader.GetAttribute("PeriodoErogazione")?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var months) ? months : null,
        ImportoMensile = Amount("ImportoMensile"),
        ImportoQuotaEnte = Amount("ImportoQuotaEnte"),
        ImportoQuotaUtente = Amount("ImportoQuotaUtente"),
        ImportoQuotaSSN = Amount("ImportoQuotaSSN"),
        ImportoQuotaRichiesta = Amount("ImportoQuotaRichiesta"),
        ImportoSogliaISEE = Amount("ImportoSogliaISEE"),
        OreServizioMensile = Amount("OreServizioMensile"),
        PresaCarico = Attr("PresaCarico"),
        AreaUtenza = Reader.GetAttribute("AreaUtenza"),
    };

    private Sina ReadSina() => new()
    {
        Mobilita = Attr("Mobilita"),
        AttivitaVitaQuotidiana = Attr("AttivitaVitaQuotidiana"),
        DisturbiAreaCognitiva = Reader.GetAttribute("DisturbiAreaCognitiva"),
        DisturbiComportamentali = Attr("DisturbiComportamentali"),
        NecessitaCureSanitarie = Reader.GetAttribute("NecessitaCureSanitarie"),
        AreaReddituale = Attr("AreaReddituale"),
        AreaSupporto = Attr("AreaSupporto"),
        FonteDerivazioneValutazione = Attr("FonteDerivazioneValutazione"),
        StrumentoValutazione = Attr("StrumentoValutazione"),
        FonteDerivazioneInvalidita = Reader.GetAttribute("FonteDerivazioneInvalidita"),
    };

    // xs:date may carry a time-zone suffix; the register keeps the calendar date only.
    private DateOnly? Date(string name)
    {
        var value = Reader.GetAttribute(name)?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length < 10) return null;
        return DateOnly.TryParseExact(value.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
    }

    private decimal? Amount(string name)
    {
        var value = Reader.GetAttribute(name)?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        return decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : null;
    }
}
