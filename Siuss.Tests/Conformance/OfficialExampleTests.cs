using System.Text;
using System.Xml;
using System.Xml.Schema;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Tests.Integration;
using Siuss.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Siuss.Tests.Conformance;

/// <summary>
/// The register against INPS's own material in <c>../shared/inps/</c>, read at test time (never copied into the repo):
/// the two example flows of <c>api-comuni.yaml</c>, submitted through a real host, and every optional attribute of
/// both official XSDs toggled on an otherwise valid record. Nothing the sources allow may be refused by a register policy.
/// </summary>
[TestFixture]
public sealed class OfficialExampleTests
{
    private RunningRegister _register = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _roma = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _registerCertificate = null!;

    // A register of its own per test: the example flows keep their official names, which a first acquisition reserves.
    [SetUp]
    public async Task StartRegister()
    {
        _register = await RunningRegister.StartAsync();
        _roma = TestCertificates.Rsa();
        await _register.RegisterAgencyAsync("H501", _roma, name: "Comune di Roma");
        _registerCertificate = await _register.DownloadReceiptCertificateAsync();
    }

    [TearDown]
    public async Task StopRegister() => await _register.DisposeAsync();

    private static string InpsFile(string name)
    {
        var path = Path.GetFullPath(Path.Combine(PublishedContractTests.RepositoryRoot(), "..", "shared", "inps", name));
        Assert.That(File.Exists(path), Is.True, $"the official INPS file is expected at {path}");
        return path;
    }

    /// <summary>The example flows of <c>GET /flussi</c> in api-comuni.yaml, decoded, by their <c>tipo</c>.</summary>
    private static Dictionary<string, (string Nome, string Xml)> ExampleFlows()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(InpsFile("api-comuni.yaml"))) yaml.Load(reader);
        var flows = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var entry in Descendants(yaml.Documents[0].RootNode).OfType<YamlMappingNode>())
        {
            if (!entry.Children.TryGetValue(new YamlScalarNode("flusso"), out var content) || content is not YamlScalarNode { Value: { Length: > 100 } base64 }) continue;
            var tipo = ((YamlScalarNode)entry.Children[new YamlScalarNode("tipo")]).Value!;
            var xml = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var nome = XmlDocumentOf(xml).GetElementsByTagName("IdentificazioneFlusso")[0]!.Attributes!["Nome"]!.Value;
            flows[tipo] = (nome, xml);
        }
        Assert.That(flows.Keys, Is.EquivalentTo(new[] { TipiFlusso.PsPsaSina, TipiFlusso.Sinba }), "api-comuni.yaml has one example flow of each type");
        return flows;
    }

    private static IEnumerable<YamlNode> Descendants(YamlNode node)
    {
        yield return node;
        var children = node switch
        {
            YamlMappingNode map => map.Children.Values,
            YamlSequenceNode seq => seq.Children,
            _ => (IEnumerable<YamlNode>)[],
        };
        foreach (var child in children)
        foreach (var d in Descendants(child))
            yield return d;
    }

    private static XmlDocument XmlDocumentOf(string xml)
    {
        var document = new XmlDocument { XmlResolver = null };
        using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        document.Load(reader);
        return document;
    }

    private async Task<Ricevuta> SubmitAsync(string tipo, string nome, byte[] flow)
    {
        await using var client = _register.NewClient();
        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(flow, "H501", nome, _roma, tipo), flow);
        return ReceiptVerifier.Verify(raw, _registerCertificate).Ricevuta;
    }

    private static IEnumerable<string> RefusalCodes(Ricevuta r) =>
        r.ErroriFlusso.Select(e => e.Codice).Concat(r.EsitiRecord.SelectMany(x => x.Errori).Select(e => e.Codice));

    private static string Describe(Ricevuta r) =>
        $"{r.Esito}: " + string.Join("; ", r.ErroriFlusso.Concat(r.EsitiRecord.SelectMany(x => x.Errori)).Select(e => $"{e.Codice} [{e.Campo}] {e.Messaggio}"));

    private static string WithCheckCharacter(string fiscalCode) => fiscalCode[..15] + FiscalCode.PersonalCheckCharacter(fiscalCode.AsSpan(0, 15));

    [TestCase(TipiFlusso.PsPsaSina)]
    [TestCase(TipiFlusso.Sinba)]
    public async Task An_official_example_flow_is_refused_only_by_sourced_rules(string tipo)
    {
        var (nome, xml) = ExampleFlows()[tipo];

        var ricevuta = await SubmitAsync(tipo, nome, Encoding.UTF8.GetBytes(xml));

        Assert.That(ricevuta.ErroriFlusso.Where(e => e.Codice == RuleCodes.FlowSchemaInvalid), Is.Empty, "the example is valid against the official XSD");
        var policyRefusals = RefusalCodes(ricevuta).Where(c => RuleSeverities.Describe(c)?.Basis is RuleBasis.Policy or null).ToList();
        Assert.That(policyRefusals, Is.Empty, Describe(ricevuta));
        // Its sample-data defects, each refused by the rule that rests on the spec or the law.
        var expected = tipo == TipiFlusso.Sinba
            ? new[] { RuleCodes.SinbaRegionRequiredForItaly } // its CFOperatore, GHBLDE25A42H199X, happens to carry a valid check character
            : [RuleCodes.OperatorFiscalCodeInvalid, RuleCodes.FiscalCodeInvalid, RuleCodes.QuotasSumMismatch, RuleCodes.QuotaOutOfRange];
        Assert.That(RefusalCodes(ricevuta).Distinct(), Is.EquivalentTo(expected), Describe(ricevuta));
    }

    [TestCase(TipiFlusso.PsPsaSina)]
    [TestCase(TipiFlusso.Sinba)]
    public async Task An_official_example_flow_with_only_its_sample_data_corrected_is_acquired(string tipo)
    {
        var (nome, xml) = ExampleFlows()[tipo];
        var document = XmlDocumentOf(xml);
        var ente = (XmlElement)document.GetElementsByTagName("Ente")[0]!;
        ente.SetAttribute("CFOperatore", WithCheckCharacter(ente.GetAttribute("CFOperatore")));
        if (tipo == TipiFlusso.Sinba)
        {
            // The residence is Italian (380): the spec requires its region. Lazio, the region of the body's seat.
            ((XmlElement)document.GetElementsByTagName("SINBA")[0]!).SetAttribute("CodiceRegioneResidenza", "12");
        }
        else
        {
            var beneficiario = (XmlElement)document.GetElementsByTagName("Beneficiario")[0]!;
            beneficiario.SetAttribute("CodiceFiscale", WithCheckCharacter(beneficiario.GetAttribute("CodiceFiscale")));
            // The first record's quotas (52.54 + 21.71 + 0.0) miss its monthly 101.23, and an SSN quota of 0 is not "Maggiore 0":
            // the second record of the same example carries the SSN quota that completes the sum, 26.98.
            var first = (XmlElement)document.GetElementsByTagName("PrestazioniSociali")[0]!;
            Assert.That(first.GetAttribute("ImportoQuotaSSN"), Is.EqualTo("0.0"));
            first.SetAttribute("ImportoQuotaSSN", "26.98");
        }

        var ricevuta = await SubmitAsync(tipo, nome, Encoding.UTF8.GetBytes(document.OuterXml));

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), Describe(ricevuta));
        if (tipo == TipiFlusso.Sinba)
        {
            // A measure without TipoProvvedimentoGiudiziario: the spec's "Campo opzionale", a register-policy warning only.
            Assert.That(ricevuta.EsitiRecord.Single().Avvertenze.Select(a => a.Codice), Does.Contain(RuleCodes.SinbaProvvedimentoDetailRequired));
        }
    }

    // ------------------------------------------------------------------ every optional attribute, present and absent

    /// <summary>A valid value for every optional attribute of both official XSDs, by element and attribute.</summary>
    private static readonly Dictionary<(string Element, string Attribute), string> OptionalValues = new()
    {
        [("Ente", "Denominazione")] = "Comune di Roma",
        [("Anagrafica", "CodiceSecondaCittadinanza")] = "250",
        [("Indirizzo", "CodiceRegione")] = "12",
        [("Indirizzo", "CodiceComune")] = "058091",
        [("PrestazioniSociali", "TipoOperazione")] = "I",
        [("PrestazioniSociali", "CaratterePrestazione")] = "2",
        [("PrestazioniSociali", "NumeroProtocolloDSU")] = "INPS-ISEE-2024-01480722D-00",
        [("PrestazioniSociali", "AnnoProtocolloDSU")] = "2024",
        [("PrestazioniSociali", "DataDSU")] = "2024-03-01",
        [("PrestazioniSociali", "DataEvento")] = FlowBuilder.DaysAgo(5),
        [("PrestazioniSociali", "DataInizioPrestazione")] = FlowBuilder.DaysAgo(5),
        [("PrestazioniSociali", "DataFinePrestazione")] = FlowBuilder.DaysAgo(5),
        [("PrestazioniSociali", "DataErogazionePrestazione")] = FlowBuilder.DaysAgo(5),
        [("PrestazioniSociali", "ImportoPrestazione")] = "150.00",
        [("PrestazioniSociali", "PeriodoErogazione")] = "1",
        [("PrestazioniSociali", "ImportoMensile")] = "150.00",
        [("PrestazioniSociali", "ImportoQuotaEnte")] = "150.00",
        [("PrestazioniSociali", "ImportoQuotaUtente")] = "0",
        [("PrestazioniSociali", "ImportoQuotaSSN")] = "150.00",
        [("PrestazioniSociali", "ImportoQuotaRichiesta")] = "151.64",
        [("PrestazioniSociali", "ImportoSogliaISEE")] = "17000.0",
        [("PrestazioniSociali", "OreServizioMensile")] = "2.59",
        [("PrestazioniSociali", "AreaUtenza")] = "1",
        [("SINA", "DisturbiAreaCognitiva")] = "1",
        [("SINA", "NecessitaCureSanitarie")] = "1",
        [("SINA", "FonteDerivazioneInvalidita")] = "1",
        [("SINBA", "TipoDisabilita")] = "1",
        [("SINBA", "InvCivCertificazioni")] = "1",
        [("SINBA", "CodiceCittadinanzaPadre")] = "380",
        [("SINBA", "CodiceCittadinanzaMadre")] = "380",
        [("SINBA", "CodiceRegioneResidenzaPadre")] = "12",
        [("SINBA", "CodiceRegioneResidenzaMadre")] = "12",
        [("SINBA", "TitoloStudioPadre")] = "1",
        [("SINBA", "TitoloStudioMadre")] = "1",
        [("SINBA", "OccupazionePadre")] = "1",
        [("SINBA", "OccupazioneMadre")] = "1",
        [("SINBA", "DataSegnalazione")] = "06/2016",
        [("SINBA", "DataProvvedimentoGiudiziario")] = "03/2012",
        [("SINBA", "AutoritaProvvedimento")] = "1",
        [("SINBA", "PotestaTutela")] = "1",
        [("SINBA", "TipoProvvedimentoGiudiziario")] = "1",
        [("SINBA", "FormaInterventoAffido")] = "1",
        [("SINBA", "TipoInterventoAffido")] = "1",
        [("SINBA", "DurataAffido")] = "1",
        [("SINBA", "CarattereAffido")] = "1",
        [("SINBA", "EsitoAffido")] = "1",
        [("SINBA", "CarattereInserimentoResidenziale")] = "1",
        [("SINBA", "FormaInserimentoResidenziale")] = "1",
        [("SINBA", "TipoInserimentoResidenziale")] = "1",
        [("SINBA", "EsitoInserimentoStruttura")] = "1",
        [("SINBA", "MotivazioneChiusuraCarico")] = "1",
        [("SINBA", "SituazioneChiusuraCarico")] = "1",
        [("SINBA", "CollaborazioniInterventi")] = "1",
        [("SINBA", "NumeroComponentiISEE")] = "3",
        [("SINBA", "FasciaISEEBeneficiario")] = "1",
        [("SINBA", "CodiceRegioneResidenza")] = "12",
    };

    /// <summary>The baseline record's attributes: every required one, and the optional ones the spec requires of it (a one-off benefit in Italy).</summary>
    private static Dictionary<(string, string), string> Baseline(string tipo)
    {
        var b = new Dictionary<(string, string), string>
        {
            [("Ente", "Codice")] = "H501", [("Ente", "Indirizzo")] = "H501", [("Ente", "CFOperatore")] = "RSSMRA85T10A562S",
            [("Ente", "Denominazione")] = "Comune di Roma",
        };
        if (tipo == TipiFlusso.Sinba)
        {
            foreach (var (k, v) in new Dictionary<string, string>
            {
                ["IDBeneficiario"] = "RM-MIN-0001", ["MinoreStranieroNoAcc"] = "2", ["CondizioneMinore"] = "1", ["LuogoVita"] = "1",
                ["ScuolaFrequentata"] = "1", ["CondizioneLavoro"] = "1", ["Disabilita"] = "2", ["DataPrimaSegnalazione"] = "01/2010",
                ["FonteSegnalazione"] = "1", ["ValutazioneMinore"] = "1", ["ValutazioneFamigliaMinore"] = "1",
                ["SegnalazioneAutoritaGiudiziaria"] = "2", ["ProvvedimentoGiudiziario"] = "2", ["FasciaEtaBeneficiario"] = "2",
                ["AnnoNascita"] = "2020", ["CodiceNazioneResidenza"] = "380", ["CodiceRegioneResidenza"] = "12",
            }) b[("SINBA", k)] = v;
            return b;
        }
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["Cognome"] = "Rossi", ["Nome"] = "Mario", ["AnnoNascita"] = "1985", ["LuogoNascita"] = "A562", ["Genere"] = "1", ["CodiceCittadinanza"] = "380",
        }) b[("Anagrafica", k)] = v;
        b[("Indirizzo", "CodiceNazione")] = "380";
        b[("Indirizzo", "CodiceRegione")] = "12";
        b[("Indirizzo", "CodiceComune")] = "058091";
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["PresenzaProvaMezzi"] = "4", ["CaratterePrestazione"] = "2", ["CodicePrestazione"] = "A1.06",
            ["DenominazionePrestazione"] = "Buoni spesa per emergenza alimentare", ["ProtocolloDomanda"] = "P",
            ["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(5), ["ImportoPrestazione"] = "150.00", ["PresaCarico"] = "2",
        }) b[("PrestazioniSociali", k)] = v;
        foreach (var (k, v) in new Dictionary<string, string>
        {
            ["Mobilita"] = "1", ["AttivitaVitaQuotidiana"] = "1", ["DisturbiComportamentali"] = "1", ["AreaReddituale"] = "1",
            ["AreaSupporto"] = "1", ["FonteDerivazioneValutazione"] = "1", ["StrumentoValutazione"] = "1",
        }) b[("SINA", k)] = v;
        return b;
    }

    /// <summary>Every optional attribute the official XSD declares, by element name, read from the compiled schema.</summary>
    private static List<(string Element, string Attribute)> OptionalAttributes(string officialXsd)
    {
        var set = new XmlSchemaSet { XmlResolver = null };
        using (var reader = XmlReader.Create(InpsFile(officialXsd), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
            set.Add(null, reader);
        set.Compile();
        var found = new List<(string, string)>();
        var seen = new HashSet<XmlSchemaElement>();
        void Walk(XmlSchemaElement element)
        {
            if (!seen.Add(element) || element.ElementSchemaType is not XmlSchemaComplexType type) return;
            foreach (XmlSchemaAttribute attribute in type.AttributeUses.Values)
            {
                if (attribute.Use != XmlSchemaUse.Required) found.Add((element.Name!, attribute.Name!));
            }
            if (type.ContentTypeParticle is XmlSchemaGroupBase group) WalkGroup(group);
        }
        void WalkGroup(XmlSchemaGroupBase group)
        {
            foreach (var item in group.Items)
            {
                if (item is XmlSchemaElement child) Walk(child);
                else if (item is XmlSchemaGroupBase inner) WalkGroup(inner);
            }
        }
        foreach (XmlSchemaElement root in set.GlobalElements.Values) Walk(root);
        return found;
    }

    [TestCase(TipiFlusso.PsPsaSina, "PS_PSA_SINA201812.xsd")]
    [TestCase(TipiFlusso.Sinba, "SINBA.xsd")]
    public async Task No_combination_of_one_or_two_optional_attributes_is_refused_by_a_register_policy(string tipo, string officialXsd)
    {
        var optional = OptionalAttributes(officialXsd);
        Assert.That(optional.Where(a => !OptionalValues.ContainsKey(a)), Is.Empty, "a valid value is known for every optional attribute of the XSD");
        var baseline = Baseline(tipo);

        // Each combination toggles one or two optional attributes of the baseline: present ones become absent, absent ones present.
        var combinations = new List<(string Element, string Attribute)[]>();
        for (int i = 0; i < optional.Count; i++)
        {
            combinations.Add([optional[i]]);
            for (int j = i + 1; j < optional.Count; j++) combinations.Add([optional[i], optional[j]]);
        }
        Assert.That(combinations.Count, Is.EqualTo(optional.Count * (optional.Count + 1) / 2));

        // A flow's Ente is shared by its records: combinations are grouped into flows by what they do to Ente.
        var results = new List<(string Combination, EsitoRecord Result)>();
        foreach (var group in combinations.GroupBy(c => string.Join(",", c.Where(a => a.Element == "Ente").Select(a => a.Attribute))))
        {
            var records = group.Select(c =>
            {
                var attributes = new Dictionary<(string, string), string>(baseline);
                foreach (var a in c)
                {
                    if (!attributes.Remove(a)) attributes[a] = OptionalValues[a];
                }
                return (Name: string.Join(" + ", c.Select(a => $"{a.Element}/@{a.Attribute}")), Attributes: attributes);
            }).ToList();
            var nome = FlowBuilder.NewName(kind: tipo == TipiFlusso.Sinba ? "SINBA" : "PS");
            var ricevuta = await SubmitAsync(tipo, nome, Flow(tipo, nome, records.Select(r => r.Attributes).ToList()));
            Assert.That(ricevuta.ErroriFlusso, Is.Empty, Describe(ricevuta));
            Assert.That(ricevuta.EsitiRecord, Has.Count.EqualTo(records.Count));
            results.AddRange(records.Select((r, i) => (r.Name, ricevuta.EsitiRecord[i])));
        }

        var policyRefusals = results
            .SelectMany(r => r.Result.Errori.Where(e => RuleSeverities.Describe(e.Codice)?.Basis is RuleBasis.Policy or null).Select(e => $"{r.Combination}: {e.Codice}"))
            .ToList();
        Assert.That(policyRefusals, Is.Empty);
        // The generation is not vacuous: a statistical field is accepted either way, and the sourced rules still refuse what they must.
        EsitoRecord Of(string combination) => results.Single(r => r.Combination == combination).Result;
        if (tipo == TipiFlusso.PsPsaSina)
        {
            Assert.That(Of("PrestazioniSociali/@ImportoSogliaISEE").Esito, Is.EqualTo(Esiti.Ok));
            Assert.That(Of("Indirizzo/@CodiceComune").Errori.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.AddressItalyCodesRequired }));
        }
        else
        {
            Assert.That(Of("SINBA/@NumeroComponentiISEE").Esito, Is.EqualTo(Esiti.Ok));
            Assert.That(Of("SINBA/@CodiceRegioneResidenza").Errori.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.SinbaRegionRequiredForItaly }));
        }
        TestContext.Out.WriteLine($"{results.Count} combinations: {results.Count(r => r.Result.Esito == Esiti.Ok)} accepted " +
                                  $"({results.Count(r => r.Result.Esito == Esiti.Ok && r.Result.Avvertenze.Count > 0)} with warnings), " +
                                  $"{results.Count(r => r.Result.Esito != Esiti.Ok)} refused by sourced rules.");
        foreach (var r in results.Where(r => !r.Combination.Contains(" + ") && r.Result.Esito != Esiti.Ok))
            TestContext.Out.WriteLine($"  {r.Combination}: {string.Join(", ", r.Result.Errori.Select(e => e.Codice))}");
    }

    // Writes a flow of the given records, each one beneficiary (PS_PSA_SINA) or one SINBA record, with a protocol of its own.
    private static byte[] Flow(string tipo, string nome, List<Dictionary<(string Element, string Attribute), string>> records)
    {
        const string ns = "http://inps.it/Casellario";
        var output = new MemoryStream();
        using (var w = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            void Element(string name, Dictionary<(string Element, string Attribute), string> attributes, Action? content = null)
            {
                w.WriteStartElement(name, ns);
                foreach (var ((element, attribute), value) in attributes)
                {
                    if (element == name) w.WriteAttributeString(attribute, value);
                }
                content?.Invoke();
                w.WriteEndElement();
            }
            w.WriteStartElement("Flusso", ns);
            w.WriteStartElement("IdentificazioneFlusso", ns);
            w.WriteAttributeString("Nome", nome);
            Element("Ente", records[0]);
            w.WriteEndElement();
            for (int i = 0; i < records.Count; i++)
            {
                var r = records[i];
                if (tipo == TipiFlusso.Sinba)
                {
                    Element("SINBA", r, () =>
                    {
                        w.WriteStartElement("Prestazioni", ns);
                        w.WriteElementString("CodicePrestazione", ns, "A1.02");
                        w.WriteEndElement();
                        w.WriteStartElement("Famiglia", ns);
                        w.WriteElementString("ComposizioneFamiglia", ns, "1");
                        w.WriteEndElement();
                    });
                    continue;
                }
                r[("PrestazioniSociali", "ProtocolloDomanda")] = $"G-{i}";
                w.WriteStartElement("Beneficiario", ns);
                w.WriteAttributeString("CodiceFiscale", "RSSMRA85T10A562S");
                Element("Anagrafica", r);
                Element("Indirizzo", r);
                Element("PrestazioniSociali", r, () => Element("SINA", r));
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        return output.ToArray();
    }
}
