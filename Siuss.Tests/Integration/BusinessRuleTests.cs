using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>Every business rule of DOMAIN.md, over real HTTP: its good case acquired, its bad case refused with its code.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class BusinessRuleTests(string engine) : RegisterFixture(engine)
{

    private static readonly string ThisYear = DateTime.UtcNow.Year.ToString(CultureInfo.InvariantCulture);
    private static string Jan(int day) => $"{ThisYear}-01-{day:D2}";
    private const string Dsu = "INPS-ISEE-2024-01480722D-00";

    private Task<Ricevuta> SubmitAsync(Action<BeneficiarioSpec> change) => SubmitAsync(new FlowBuilder().Beneficiario(change));

    private static void Periodic(BeneficiarioSpec b) => b.Prestazioni[0] = BeneficiarioSpec.DefaultPeriodic();

    private static void WithDsu(BeneficiarioSpec b, string number = Dsu, string year = "2024", string? date = "2024-03-01")
    {
        b.Prestazione["NumeroProtocolloDSU"] = number;
        b.Prestazione["AnnoProtocolloDSU"] = year;
        b.Prestazione["DataDSU"] = date;
    }

    public static IEnumerable<TestCaseData> GoodCases()
    {
        TestCaseData Case(string name, Action<BeneficiarioSpec> change) => new TestCaseData(change).SetName("Accepts: " + name);
        yield return Case("a valid 16-character fiscal code", b => b.CodiceFiscale = "RSSMRA85T10A562S");
        yield return Case("a fiscal code with omocodia", b => b.CodiceFiscale = "RSSMRA85T10A56NH");
        yield return Case("an 11-digit fiscal code padded with spaces", b => b.CodiceFiscale = "01234567897    ");
        yield return Case("a PSA record with the whole DSU", b => { b.Prestazione["PresenzaProvaMezzi"] = "1"; WithDsu(b); });
        yield return Case("a non-PSA record without DSU", b => b.Prestazione["PresenzaProvaMezzi"] = "2");
        yield return Case("a periodic benefit with start and monthly amount", Periodic);
        yield return Case("a periodic benefit ending in its start year", b => { Periodic(b); b.Prestazione["DataFinePrestazione"] = $"{ThisYear}-12-31"; });
        yield return Case("a periodic benefit whose end date is after the day of receipt", b => { Periodic(b); b.Prestazione["DataFinePrestazione"] = $"{ThisYear}-12-31"; });
        yield return Case("quotas that add up to the one-off amount", b => { b.Prestazione["ImportoQuotaEnte"] = "100.00"; b.Prestazione["ImportoQuotaUtente"] = "50"; });
        yield return Case("quotas that add up to the monthly amount", b => { Periodic(b); b.Prestazione["ImportoQuotaEnte"] = "300"; b.Prestazione["ImportoQuotaSSN"] = "100"; });
        yield return Case("PresaCarico=1 with AreaUtenza", b => { b.Prestazione["PresaCarico"] = "1"; b.Prestazione["AreaUtenza"] = "1"; });
        yield return Case("A2.16 with PresaCarico=1", b => { b.Prestazione["CodicePrestazione"] = "A2.16"; b.Prestazione["PresaCarico"] = "1"; b.Prestazione["AreaUtenza"] = "3"; });
        yield return Case("an Italian address with region and comune", b => { });
        yield return Case("a foreign address without region and comune", b => b.Indirizzi[0] = new() { ["CodiceNazione"] = "208" });
        yield return Case("A1.05.01 in 2022 or later with DataEvento", b => { b.Prestazione["CodicePrestazione"] = "A1.05.01"; b.Prestazione["DataEvento"] = FlowBuilder.DaysAgo(4); });
        yield return Case("ImportoQuotaUtente of zero (\"Maggiore o uguale a 0\")", b => { b.Prestazione["ImportoQuotaEnte"] = "150"; b.Prestazione["ImportoQuotaUtente"] = "0"; });
        yield return Case("OreServizioMensile of 2 h 59 min, as INPS's example writes it", b => b.Prestazione["OreServizioMensile"] = "2.59");
        yield return Case("OreServizioMensile of whole hours", b => b.Prestazione["OreServizioMensile"] = "40");
        yield return Case("citizenship 990, not available (spec Tabella 6)", b => b.Anagrafica["CodiceCittadinanza"] = "990");
        yield return Case("a Moroccan citizen living in Denmark", b => { b.Anagrafica["CodiceCittadinanza"] = "504"; b.Indirizzi[0] = new() { ["CodiceNazione"] = "208" }; });
        yield return Case("dates up to the day of receipt", b => b.Prestazione["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(0));
    }

    public static IEnumerable<TestCaseData> BadCases()
    {
        TestCaseData Case(string code, string name, Action<BeneficiarioSpec> change) =>
            new TestCaseData(change, code).SetName($"Refuses {code}: {name}");
        yield return Case(RuleCodes.FiscalCodeInvalid, "wrong check character", b => b.CodiceFiscale = "RSSMRA85T10A562T");
        yield return Case(RuleCodes.FiscalCodeInvalid, "wrong 11-digit check digit", b => b.CodiceFiscale = "01234567890");
        yield return Case(RuleCodes.FiscalCodeInvalid, "impossible month letter", b => b.CodiceFiscale = "RSSMRA85Z10A562S");
        yield return Case(RuleCodes.DsuIncomplete, "DSU year without number and date", b => b.Prestazione["AnnoProtocolloDSU"] = "2024");
        yield return Case(RuleCodes.DsuIncomplete, "DSU number and year without date", b => WithDsu(b, date: null));
        yield return Case(RuleCodes.CarattereRequired, "no CaratterePrestazione", b => b.Prestazione["CaratterePrestazione"] = null);
        yield return Case(RuleCodes.PeriodicStartRequired, "periodic without start", b => { Periodic(b); b.Prestazione["DataInizioPrestazione"] = null; });
        yield return Case(RuleCodes.PeriodicMonthlyAmountRequired, "periodic without monthly amount", b => { Periodic(b); b.Prestazione["ImportoMensile"] = null; });
        yield return Case(RuleCodes.PeriodicMonthlyAmountRequired, "periodic with zero monthly amount", b => { Periodic(b); b.Prestazione["ImportoMensile"] = "0"; });
        yield return Case(RuleCodes.PeriodicEndOtherYear, "periodic spanning two years", b => { Periodic(b); b.Prestazione["DataFinePrestazione"] = $"{DateTime.UtcNow.Year + 1}-01-31"; });
        yield return Case(RuleCodes.OneOffDateRequired, "one-off without payment date", b => b.Prestazione["DataErogazionePrestazione"] = null);
        yield return Case(RuleCodes.OneOffAmountRequired, "one-off without amount", b => b.Prestazione["ImportoPrestazione"] = null);
        yield return Case(RuleCodes.OneOffAmountRequired, "one-off with a negative amount", b => b.Prestazione["ImportoPrestazione"] = "-5.00");
        yield return Case(RuleCodes.QuotasSumMismatch, "quotas not adding up", b => { b.Prestazione["ImportoQuotaEnte"] = "100"; b.Prestazione["ImportoQuotaUtente"] = "10"; });
        yield return Case(RuleCodes.QuotaOutOfRange, "ImportoQuotaSSN of zero (\"Maggiore 0\")", b => { b.Prestazione["ImportoQuotaEnte"] = "150"; b.Prestazione["ImportoQuotaSSN"] = "0.0"; });
        yield return Case(RuleCodes.QuotaOutOfRange, "ImportoQuotaEnte of zero", b => { b.Prestazione["ImportoQuotaEnte"] = "0"; b.Prestazione["ImportoQuotaUtente"] = "150"; });
        yield return Case(RuleCodes.QuotaOutOfRange, "a negative ImportoQuotaUtente", b => { b.Prestazione["ImportoQuotaEnte"] = "200"; b.Prestazione["ImportoQuotaUtente"] = "-50"; });
        yield return Case(RuleCodes.OreServizioFormat, "OreServizioMensile with 75 minutes", b => b.Prestazione["OreServizioMensile"] = "3.75");
        yield return Case(RuleCodes.OreServizioFormat, "OreServizioMensile with 60 minutes (2.6)", b => b.Prestazione["OreServizioMensile"] = "2.6");
        yield return Case(RuleCodes.OreServizioFormat, "OreServizioMensile with three decimals", b => b.Prestazione["OreServizioMensile"] = "2.125");
        yield return Case(RuleCodes.OreServizioFormat, "negative OreServizioMensile", b => b.Prestazione["OreServizioMensile"] = "-1.00");
        yield return Case(RuleCodes.NationCodeUnknown, "citizenship 000, not an ISO 3166 code", b => b.Anagrafica["CodiceCittadinanza"] = "000");
        yield return Case(RuleCodes.NationCodeUnknown, "a second citizenship 999", b => b.Anagrafica["CodiceSecondaCittadinanza"] = "999");
        yield return Case(RuleCodes.NationCodeUnknown, "an address in nation 990 (only a citizenship may be 'not available')", b => b.Indirizzi[0] = new() { ["CodiceNazione"] = "990" });
        yield return Case(RuleCodes.AreaUtenzaRequired, "PresaCarico=1 without AreaUtenza", b => b.Prestazione["PresaCarico"] = "1");
        yield return Case(RuleCodes.AddressItalyCodesRequired, "Italian address without comune", b => b.Indirizzi[0]["CodiceComune"] = null);
        yield return Case(RuleCodes.AddressItalyCodesRequired, "Italian address without region", b => b.Indirizzi[0]["CodiceRegione"] = null);
    }

    /// <summary>Rules the sources do not state (register policy) and the benefit code while the table is not declared complete: they warn.</summary>
    public static IEnumerable<TestCaseData> WarningCases()
    {
        TestCaseData Case(string code, string name, Action<BeneficiarioSpec> change) =>
            new TestCaseData(change, code).SetName($"Warns {code}: {name}");
        yield return Case(RuleCodes.DsuRequiredForPsa, "PSA record without DSU", b => b.Prestazione["PresenzaProvaMezzi"] = "1");
        yield return Case(RuleCodes.DsuProtocolFormat, "malformed DSU protocol", b => WithDsu(b, number: "INPS-ISEE-2024-1480722D-00"));
        yield return Case(RuleCodes.DsuYearMismatch, "DSU protocol year differs from AnnoProtocolloDSU", b => WithDsu(b, year: "2023"));
        yield return Case(RuleCodes.PeriodicEndBeforeStart, "periodic ending before it starts", b => { Periodic(b); b.Prestazione["DataInizioPrestazione"] = Jan(10); b.Prestazione["DataFinePrestazione"] = Jan(5); });
        yield return Case(RuleCodes.PresaCaricoRequired, "A2.16 without PresaCarico=1", b => b.Prestazione["CodicePrestazione"] = "A2.16");
        yield return Case(RuleCodes.BenefitCodeUnknown, "unknown benefit code", b => b.Prestazione["CodicePrestazione"] = "A9.99");
        yield return Case(RuleCodes.BenefitCodeNotValidOnDate, "A1.05.01 for a 2021 benefit", b => { b.Prestazione["CodicePrestazione"] = "A1.05.01"; b.Prestazione["DataErogazionePrestazione"] = "2021-06-01"; b.Prestazione["DataEvento"] = "2021-06-01"; });
        yield return Case(RuleCodes.DataEventoRequired, "A1.05.01 without DataEvento", b => b.Prestazione["CodicePrestazione"] = "A1.05.01");
        yield return Case(RuleCodes.DateInFuture, "payment date after the day of receipt", b => b.Prestazione["DataErogazionePrestazione"] = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd"));
        yield return Case(RuleCodes.DateInFuture, "DSU date after the day of receipt", b => WithDsu(b, date: DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd")));
        yield return Case(RuleCodes.BenefitCodeUnknown, "A2.17, a real code (INPS uses it in its own example) missing from the partial seed table", b => b.Prestazione["CodicePrestazione"] = "A2.17");
    }

    [TestCaseSource(nameof(GoodCases))]
    public async Task Good_case_is_acquired(Action<BeneficiarioSpec> change)
    {
        var ricevuta = await SubmitAsync(change);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok),
            string.Join("; ", ricevuta.ErroriFlusso.Concat(ricevuta.EsitiRecord.SelectMany(r => r.Errori)).Select(e => $"{e.Codice}: {e.Messaggio}")));
    }

    [TestCaseSource(nameof(WarningCases))]
    public async Task Policy_case_is_acquired_with_its_warning_beside_the_record(Action<BeneficiarioSpec> change, string code)
    {
        var flow = new FlowBuilder().Beneficiario(change);
        var ricevuta = await SubmitAsync(flow);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), string.Join("; ", ricevuta.EsitiRecord.SelectMany(r => r.Errori).Select(e => $"{e.Codice}: {e.Messaggio}")));
            var record = ricevuta.EsitiRecord.Single();
            Assert.That(record.Errori, Is.Empty);
            Assert.That(record.Avvertenze.Select(e => e.Codice), Does.Contain(code));
            Assert.That(record.Avvertenze.All(e => !string.IsNullOrWhiteSpace(e.Messaggio)), Is.True);
            Assert.That(ricevuta.Riepilogo.Avvertiti, Is.EqualTo(1));
            Assert.That(await Register.CountAsync(
                "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n", new { n = flow.Nome }), Is.EqualTo(1));
            Assert.That(await Register.CountAsync("SELECT records_warned FROM submissions WHERE nome_flusso = @n", new { n = flow.Nome }), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_receipt_with_warnings_agrees_with_the_published_schema_and_so_does_one_issued_before_warnings()
    {
        var flow = new FlowBuilder().Beneficiario(b => b.Prestazione["PresenzaProvaMezzi"] = "1");
        var bytes = flow.ToBytes();
        await using var client = Register.NewClient();
        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, flow.CodiceEnte, flow.Nome, Roma), bytes);

        var ricevuta = ReceiptVerifier.Verify(raw, RegisterCertificate).Ricevuta;
        Assert.That(ricevuta.EsitiRecord.Single().Avvertenze.Select(a => a.Codice), Is.EqualTo(new[] { RuleCodes.DsuRequiredForPsa }));
        Assert.That(SchemaErrors(raw), Is.Empty, "the receipt agrees with wsdl/siuss-documents.xsd");
        // A receipt issued before warnings existed has neither Avvertenza nor Riepilogo/@Avvertiti: still valid, still read.
        var document = new System.Xml.XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(System.Text.Encoding.UTF8.GetString(raw));
        foreach (var warning in document.GetElementsByTagName("Avvertenza").Cast<System.Xml.XmlNode>().ToList()) warning.ParentNode!.RemoveChild(warning);
        ((System.Xml.XmlElement)document.GetElementsByTagName("Riepilogo")[0]!).RemoveAttribute("Avvertiti");
        var old = System.Text.Encoding.UTF8.GetBytes(document.OuterXml);
        Assert.That(SchemaErrors(old), Is.Empty);
        var serializer = new System.Xml.Serialization.XmlSerializer(typeof(Ricevuta));
        var read = (Ricevuta)serializer.Deserialize(new MemoryStream(old))!;
        Assert.That(read.Riepilogo.Avvertiti, Is.Zero);
        Assert.That(read.EsitiRecord.Single().Avvertenze, Is.Empty);
    }

    private static List<string> SchemaErrors(byte[] document)
    {
        var errors = new List<string>();
        var settings = new System.Xml.XmlReaderSettings
        {
            ValidationType = System.Xml.ValidationType.Schema, Schemas = Siuss.Service.Flows.FlowSchemas.Compile("siuss-documents.xsd"),
            DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null,
        };
        settings.ValidationEventHandler += (_, e) => errors.Add(e.Message);
        using (var reader = System.Xml.XmlReader.Create(new MemoryStream(document), settings)) while (reader.Read()) { }
        return errors;
    }

    [Test]
    public async Task A_cancellation_is_held_to_the_sourced_rules_but_not_warned_by_policy()
    {
        // Sourced: the spec exempts no PrestazioniSociali from "Maggiore 0". Policy (DATE_IN_FUTURE) does not judge a withdrawal.
        var record = BeneficiarioSpec.DefaultOneOff();
        var cancelBadQuota = new FlowBuilder().Beneficiario(b =>
        {
            b.Prestazioni[0] = new(record) { ["TipoOperazione"] = "C", ["ImportoQuotaEnte"] = "0", ["ImportoQuotaUtente"] = record["ImportoPrestazione"] };
        });
        var refused = await SubmitAsync(cancelBadQuota);
        Assert.That(refused.EsitiRecord.Single().Errori.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.QuotaOutOfRange }));

        var future = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd");
        var cancelFuture = new FlowBuilder().Beneficiario(b => b.Prestazioni[0] = new(record) { ["TipoOperazione"] = "C", ["DataErogazionePrestazione"] = future });
        var notFound = await SubmitAsync(cancelFuture);
        Assert.That(notFound.Esito, Is.EqualTo(Esiti.DatiNonTrovati), "judged only against the register: nothing to cancel");
        Assert.That(notFound.EsitiRecord.Single().Avvertenze, Is.Empty);
        Assert.That(notFound.EsitiRecord.Single().Errori.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.RecordNotFound }));
    }

    [TestCaseSource(nameof(BadCases))]
    public async Task Bad_case_is_refused_with_its_code(Action<BeneficiarioSpec> change, string code)
    {
        var ricevuta = await SubmitAsync(change);

        Assert.Multiple(() =>
        {
            Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
            Assert.That(ricevuta.ErroriFlusso, Is.Empty, "a record rule, not a flow problem");
            Assert.That(ricevuta.EsitiRecord.Single().Errori.Select(e => e.Codice), Does.Contain(code));
            Assert.That(ricevuta.EsitiRecord.Single().Errori.All(e => !string.IsNullOrWhiteSpace(e.Messaggio)), Is.True);
        });
    }

    [Test]
    public void Every_rule_code_in_the_catalogue_is_unique_and_documented()
    {
        var codes = RuleCodes.Catalogue.Select(c => c.Code).ToList();
        var constants = typeof(RuleCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.That(codes, Is.Unique);
        Assert.That(codes, Is.EquivalentTo(constants));
        Assert.That(RuleCodes.Catalogue.All(c => c.Meaning.Length > 10 && c.Example.Length > 0 && c.Field.Length > 0), Is.True);
    }
}
