using System.Globalization;
using System.Text;
using System.Xml;

namespace Siuss.Tests.Support;

/// <summary>Writes PS_PSA_SINA flows in the official INPS format, the way a body's software exports them.</summary>
public sealed class FlowBuilder(string codiceEnte = "H501", string? nome = null, string belfiore = "H501")
{
    private readonly List<BeneficiarioSpec> _beneficiari = [];

    /// <summary>The beneficiaries added so far.</summary>
    public IReadOnlyList<BeneficiarioSpec> Beneficiari => _beneficiari;

    /// <summary>Today's date in the flow name format, so names are never in the future.</summary>
    public static string Today => DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>A date <paramref name="daysAgo"/> days before today, as xs:date.</summary>
    public static string DaysAgo(int daysAgo) => DateTime.UtcNow.Date.AddDays(-daysAgo).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A unique flow name for this body.</summary>
    public static string NewName(string codiceEnte = "H501", string kind = "PS") =>
        $"{codiceEnte}.{kind}.{Today}.{Random.Shared.NextInt64(1, 9_999_999):D7}";

    public string Nome { get; } = nome ?? NewName(codiceEnte);
    public string CodiceEnte { get; } = codiceEnte;
    public Dictionary<string, string?> Ente { get; } = new()
    {
        ["Codice"] = codiceEnte, ["Denominazione"] = "Comune di Roma", ["Indirizzo"] = belfiore, ["CFOperatore"] = "RSSMRA85T10A562S",
    };

    /// <summary>Adds a beneficiary with one default valid one-off benefit, then lets the caller change it.</summary>
    public FlowBuilder Beneficiario(Action<BeneficiarioSpec>? change = null)
    {
        var spec = new BeneficiarioSpec();
        spec.Prestazioni.Add(BeneficiarioSpec.DefaultOneOff());
        change?.Invoke(spec);
        _beneficiari.Add(spec);
        return this;
    }

    /// <summary>The flow as text.</summary>
    public string ToXml() => Encoding.UTF8.GetString(ToBytes());

    /// <summary>The flow file bytes: UTF-8, no BOM, with an XML declaration.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            const string ns = "http://inps.it/Casellario";
            w.WriteStartElement("Flusso", ns);
            w.WriteStartElement("IdentificazioneFlusso", ns);
            w.WriteAttributeString("Nome", Nome);
            w.WriteStartElement("Ente", ns);
            Attributes(w, Ente);
            w.WriteEndElement();
            w.WriteEndElement();
            foreach (var b in _beneficiari)
            {
                w.WriteStartElement("Beneficiario", ns);
                w.WriteAttributeString("CodiceFiscale", b.CodiceFiscale);
                w.WriteStartElement("Anagrafica", ns);
                Attributes(w, b.Anagrafica);
                w.WriteEndElement();
                foreach (var address in b.Indirizzi)
                {
                    w.WriteStartElement("Indirizzo", ns);
                    Attributes(w, address);
                    w.WriteEndElement();
                }
                foreach (var p in b.Prestazioni)
                {
                    w.WriteStartElement("PrestazioniSociali", ns);
                    Attributes(w, p);
                    if (b.SinaXml is { } sina) w.WriteRaw(sina);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        return buffer.ToArray();
    }

    private static void Attributes(XmlWriter w, Dictionary<string, string?> attributes)
    {
        foreach (var (name, value) in attributes)
            if (value is not null) w.WriteAttributeString(name, value);
    }
}

/// <summary>One beneficiary of a test flow; change any attribute, null removes it.</summary>
public sealed class BeneficiarioSpec
{
    public string CodiceFiscale { get; set; } = "RSSMRA85T10A562S";
    public Dictionary<string, string?> Anagrafica { get; } = new()
    {
        ["Cognome"] = "Rossi", ["Nome"] = "Mario", ["AnnoNascita"] = "1985", ["LuogoNascita"] = "A562",
        ["Genere"] = "1", ["CodiceCittadinanza"] = "380",
    };
    public List<Dictionary<string, string?>> Indirizzi { get; } =
        [new() { ["CodiceRegione"] = "12", ["CodiceComune"] = "058091", ["CodiceNazione"] = "380" }];
    public List<Dictionary<string, string?>> Prestazioni { get; } = [];
    /// <summary>Raw SINA element written inside every benefit of this beneficiary.</summary>
    public string? SinaXml { get; set; }

    /// <summary>The first benefit, for quick changes.</summary>
    public Dictionary<string, string?> Prestazione => Prestazioni[0];

    /// <summary>A valid one-off benefit paid five days ago.</summary>
    public static Dictionary<string, string?> DefaultOneOff() => new()
    {
        ["TipoOperazione"] = "I", ["PresenzaProvaMezzi"] = "4", ["CaratterePrestazione"] = "2",
        ["CodicePrestazione"] = "A1.06", ["DenominazionePrestazione"] = "Buoni spesa per emergenza alimentare",
        ["ProtocolloDomanda"] = "PROT-" + Random.Shared.Next(1, int.MaxValue), ["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(5),
        ["ImportoPrestazione"] = "150.00", ["PresaCarico"] = "2",
    };

    /// <summary>A valid periodic benefit of this year (monthly amount 400).</summary>
    public static Dictionary<string, string?> DefaultPeriodic()
    {
        var start = new DateTime(DateTime.UtcNow.Year, 1, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new()
        {
            ["TipoOperazione"] = "I", ["PresenzaProvaMezzi"] = "4", ["CaratterePrestazione"] = "1",
            ["CodicePrestazione"] = "A1.11", ["DenominazionePrestazione"] = "Assegno di cura per anziani non autosufficienti",
            ["ProtocolloDomanda"] = "PER-" + Random.Shared.Next(1, int.MaxValue), ["DataInizioPrestazione"] = start,
            ["ImportoMensile"] = "400.00", ["PeriodoErogazione"] = "12", ["PresaCarico"] = "1", ["AreaUtenza"] = "2",
        };
    }
}

/// <summary>Test conveniences over <see cref="FlowBuilder"/>.</summary>
public static class FlowBuilderExtensions
{
    /// <summary>A copy of the first benefit of beneficiary <paramref name="index"/>, to cancel or correct it later.</summary>
    public static Dictionary<string, string?> ToBeneficiaryPrestazione(this FlowBuilder flow, int index) =>
        new(flow.Beneficiari[index].Prestazione);
}
