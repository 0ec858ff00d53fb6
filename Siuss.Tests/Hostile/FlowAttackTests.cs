using System.Text;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Tests.Support;
using static Siuss.Tests.Support.HostileKit;

namespace Siuss.Tests.Hostile;

/// <summary>
/// Hostile flows under a valid signature from the pinned body: hostile XML and data at and past every bound.
/// The sender is authenticated, so each gets a signed receipt refusing the flow with the exact code; the refusal is
/// kept as evidence and not one record is stored.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class FlowAttackTests(string engine) : HostileFixture(engine)
{
    [TestCaseSource(nameof(Cases))]
    public async Task Hostile_flow_is_refused_and_nothing_stored(HostileCase c) => await World.AssertAsync(c);

    /// <summary>The other side of each bound: a value exactly at it is acquired, and stored once.</summary>
    [TestCaseSource(nameof(AtBounds))]
    public async Task A_value_exactly_at_its_bound_is_acquired(Action<BeneficiarioSpec> change)
    {
        var flow = new FlowBuilder().Beneficiario(change);
        var bytes = flow.ToBytes();
        await using var client = World.Register.NewClient();
        var raw = await client.SubmitAsync(Siuss.Client.SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, World.Roma), bytes);
        var ricevuta = Siuss.Client.ReceiptVerifier.Verify(raw, await World.Register.DownloadReceiptCertificateAsync()).Ricevuta;
        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok),
            string.Join("; ", ricevuta.ErroriFlusso.Concat(ricevuta.EsitiRecord.SelectMany(r => r.Errori)).Select(e => $"{e.Codice}: {e.Messaggio}")));
        Assert.That(await World.Register.CountAsync(
            "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n", new { n = flow.Nome }), Is.EqualTo(1));
    }

    public static IEnumerable<TestCaseData> AtBounds()
    {
        TestCaseData Case(string name, Action<BeneficiarioSpec> change) => new TestCaseData(change).SetName("At the bound, acquired: " + name);
        yield return Case("Cognome of 36 characters", b => b.Anagrafica["Cognome"] = new string('R', 36));
        yield return Case("Nome of 1 character", b => b.Anagrafica["Nome"] = "M");
        yield return Case("five addresses", b => { for (int i = 0; i < 4; i++) b.Indirizzi.Add(new() { ["CodiceNazione"] = "208" }); });
        yield return Case("DenominazionePrestazione of 10 characters", b => b.Prestazione["DenominazionePrestazione"] = "Buoni 1234");
        yield return Case("DenominazionePrestazione of 200 characters", b => b.Prestazione["DenominazionePrestazione"] = new string('D', 200));
        yield return Case("ProtocolloDomanda of 32 characters", b => b.Prestazione["ProtocolloDomanda"] = "P" + Guid.NewGuid().ToString("N")[..31]);
        yield return Case("PeriodoErogazione 1", b => { b.Prestazioni[0] = BeneficiarioSpec.DefaultPeriodic(); b.Prestazione["PeriodoErogazione"] = "1"; });
        yield return Case("PeriodoErogazione 12", b => { b.Prestazioni[0] = BeneficiarioSpec.DefaultPeriodic(); b.Prestazione["PeriodoErogazione"] = "12"; });
        yield return Case("one-off amount of one cent", b => b.Prestazione["ImportoPrestazione"] = "0.01");
        yield return Case("payment dated the day of receipt", b => b.Prestazione["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(0));
    }

    private const string Xml = "XML in the flow";
    private const string Data = "Data bounds";
    private const string Identity = "Flow identity";

    public static IEnumerable<TestCaseData> Cases() => All().Select(c => c.ToTestCase());

    private static HostileCase Text(string cls, string name, Func<string, string> edit, string code) =>
        new(cls, name, w =>
        {
            var flow = Flow();
            var bytes = Encoding.UTF8.GetBytes(edit(flow.ToXml()));
            return SignedFlow(bytes, w.Roma, nome: flow.Nome);
        }, Expectation.Refused(code));

    private static HostileCase Bytes(string cls, string name, Func<byte[], byte[]> edit, string code) =>
        new(cls, name, w =>
        {
            var flow = Flow();
            return SignedFlow(edit(flow.ToBytes()), w.Roma, nome: flow.Nome);
        }, Expectation.Refused(code));

    private static HostileCase Record(string name, Action<BeneficiarioSpec> change, string code) =>
        new(Data, name, w =>
        {
            var flow = new FlowBuilder().Beneficiario(change);
            return SignedFlow(flow.ToBytes(), w.Roma, nome: flow.Nome);
        }, Expectation.Refused(code));

    private static HostileCase Built(string cls, string name, Func<FlowBuilder> build, string code) =>
        new(cls, name, w =>
        {
            var flow = build();
            return SignedFlow(flow.ToBytes(), w.Roma, nome: flow.Nome);
        }, Expectation.Refused(code));

    private static string AfterDecl(string xml, string insert)
    {
        int end = xml.IndexOf("?>", StringComparison.Ordinal) + 2;
        return xml[..end] + insert + xml[end..];
    }

    public static IEnumerable<HostileCase> All()
    {
        // ---- XML in the flow ----
        yield return Text(Xml, "internal entity", x => AfterDecl(x, "<!DOCTYPE Flusso [<!ENTITY e \"Rossi\">]>").Replace("\"Rossi\"", "\"&e;\""), RuleCodes.FlowDtdProhibited);
        yield return Text(Xml, "external entity (file:///etc/passwd)", x => AfterDecl(x, "<!DOCTYPE Flusso [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>").Replace("\"Rossi\"", "\"&x;\""), RuleCodes.FlowDtdProhibited);
        yield return Text(Xml, "external DTD over HTTP", x => AfterDecl(x, "<!DOCTYPE Flusso SYSTEM \"http://127.0.0.1:9/inps.dtd\">"), RuleCodes.FlowDtdProhibited);
        yield return Text(Xml, "billion laughs", x => AfterDecl(x, SignedHeaderAttackTests.BillionLaughs("Flusso")).Replace("\"Rossi\"", "\"&lol9;\""), RuleCodes.FlowDtdProhibited);
        yield return Text(Xml, "deep nesting (20000 levels)", x => x.Replace("</Flusso>", string.Concat(Enumerable.Repeat("<n>", 20000)) + string.Concat(Enumerable.Repeat("</n>", 20000)) + "</Flusso>"), RuleCodes.FlowSchemaInvalid);
        yield return Text(Xml, "huge attribute (200 KB Cognome)", x => x.Replace("\"Rossi\"", "\"" + new string('R', 200_000) + "\""), RuleCodes.FlowSchemaInvalid);
        yield return Text(Xml, "an unknown attribute", x => x.Replace("<Anagrafica ", "<Anagrafica Evil=\"1\" "), RuleCodes.FlowSchemaInvalid);
        yield return Bytes(Xml, "invalid UTF-8 in a name", b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("Rossi", "Ro\u0001ssi")).Select(x => x == 1 ? (byte)0xFF : x).ToArray(), RuleCodes.FlowXmlMalformed);
        yield return Bytes(Xml, "truncated in the middle of a tag", b => b[..(b.Length / 2)], RuleCodes.FlowXmlMalformed);
        yield return Bytes(Xml, "a control character where the root should be", _ => [0x0B, .. "<Flusso/>"u8], RuleCodes.FlowXmlMalformed);
        yield return Bytes(Xml, "random binary", _ => System.Security.Cryptography.RandomNumberGenerator.GetBytes(3000), RuleCodes.FlowXmlMalformed);
        yield return Text(Xml, "declared UTF-16, sent as UTF-8", x => x.Replace("encoding=\"utf-8\"", "encoding=\"utf-16\""), RuleCodes.FlowXmlMalformed);
        yield return Bytes(Xml, "two byte order marks", b => new byte[] { 0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF }.Concat(b).ToArray(), RuleCodes.FlowXmlMalformed);
        yield return Text(Xml, "processing instruction before the declaration", x => "<?evil x?>" + x, RuleCodes.FlowXmlMalformed);
        yield return Text(Xml, "root element in another namespace", x => x.Replace("xmlns=\"http://inps.it/Casellario\"", "xmlns=\"urn:evil\""), RuleCodes.FlowSchemaInvalid);
        yield return Text(Xml, "a Beneficiario in another namespace", x => x.Replace("<Beneficiario ", "<Beneficiario xmlns=\"urn:evil\" "), RuleCodes.FlowSchemaInvalid);
        yield return Text(Xml, "foreign element smuggled inside a benefit", x => System.Text.RegularExpressions.Regex.Replace(x, "(<PrestazioniSociali [^>]*?)\\s*/>", "$1><x:Evil xmlns:x=\"urn:evil\"/></PrestazioniSociali>"), RuleCodes.FlowSchemaInvalid);
        yield return Text(Xml, "duplicate attribute", x => x.Replace("<Anagrafica ", "<Anagrafica Cognome=\"Bianchi\" "), RuleCodes.FlowXmlMalformed);
        yield return Text(Xml, "two root elements", x => x + "<Flusso/>", RuleCodes.FlowXmlMalformed);
        yield return Text(Xml, "character reference to NUL", x => x.Replace("\"Rossi\"", "\"Ro&#0;ssi\""), RuleCodes.FlowXmlMalformed);
        yield return Text(Xml, "undeclared entity reference", x => x.Replace("\"Rossi\"", "\"&evil;\""), RuleCodes.FlowXmlMalformed);
        yield return Text(Xml, "a SINA element that is not SINA", x => System.Text.RegularExpressions.Regex.Replace(x, "(<PrestazioniSociali [^>]*?)\\s*/>", "$1><SINA/></PrestazioniSociali>"), RuleCodes.FlowSchemaInvalid);
        yield return new HostileCase(Xml, "a PS flow declared as SINBA", w =>
        {
            var flow = Flow();
            return SignedFlow(flow.ToBytes(), w.Roma, nome: flow.Nome, tipo: TipiFlusso.Sinba);
        }, Expectation.Refused(RuleCodes.FlowSchemaInvalid));
        yield return Built(Xml, "a flow with no beneficiary", () => new FlowBuilder(), RuleCodes.FlowSchemaInvalid);

        // ---- Flow identity ----
        yield return new HostileCase(Identity, "flow name differs from the signed NomeFlusso", w =>
        {
            var flow = Flow();
            return SignedFlow(flow.ToBytes(), w.Roma, nome: FlowBuilder.NewName());
        }, Expectation.Refused(RuleCodes.FlowNameMismatch));
        yield return Built(Identity, "flow of another body (Ente/@Codice)", () => { var f = new FlowBuilder(); f.Ente["Codice"] = "F205"; return f.Beneficiario(); }, RuleCodes.FlowEnteMismatch);
        yield return Built(Identity, "seat of another body", () => new FlowBuilder(belfiore: "F205").Beneficiario(), RuleCodes.FlowSeatMismatch);
        yield return Built(Identity, "flow name of another body", () => new FlowBuilder(nome: FlowBuilder.NewName("F205")).Beneficiario(), RuleCodes.FlowNameFormat);
        yield return Built(Identity, "flow name dated tomorrow", () => new FlowBuilder(nome: $"H501.PS.{DateTime.UtcNow.AddDays(2):yyyyMMdd}.0000001").Beneficiario(), RuleCodes.FlowNameFormat);
        yield return Built(Identity, "flow name with path characters", () => new FlowBuilder(nome: "H501.PS.../../etc/passwd").Beneficiario(), RuleCodes.FlowNameFormat);
        yield return Built(Identity, "operator fiscal code with a wrong check character", () => { var f = new FlowBuilder(); f.Ente["CFOperatore"] = "RSSMRA85T10A562X"; return f.Beneficiario(); }, RuleCodes.OperatorFiscalCodeInvalid);

        // ---- Data bounds ----
        yield return Record("Cognome at 37 characters (max 36)", b => b.Anagrafica["Cognome"] = new string('R', 37), RuleCodes.FlowSchemaInvalid);
        yield return Record("empty Nome", b => b.Anagrafica["Nome"] = "", RuleCodes.FlowSchemaInvalid);
        yield return Record("AnnoNascita of 5 digits", b => b.Anagrafica["AnnoNascita"] = "19850", RuleCodes.FlowSchemaInvalid);
        yield return Record("Genere 3", b => b.Anagrafica["Genere"] = "3", RuleCodes.FlowSchemaInvalid);
        yield return Record("CodiceCittadinanza of letters", b => b.Anagrafica["CodiceCittadinanza"] = "ITA", RuleCodes.FlowSchemaInvalid);
        yield return Record("LuogoNascita of 5 characters", b => b.Anagrafica["LuogoNascita"] = "A5620", RuleCodes.FlowSchemaInvalid);
        yield return Record("six addresses (max 5)", b => { for (int i = 0; i < 5; i++) b.Indirizzi.Add(new() { ["CodiceNazione"] = "208" }); }, RuleCodes.FlowSchemaInvalid);
        yield return Record("CodiceComune of 5 digits", b => b.Indirizzi[0]["CodiceComune"] = "58091", RuleCodes.FlowSchemaInvalid);
        yield return Record("fiscal code of 15 characters", b => b.CodiceFiscale = "RSSMRA85T10A562", RuleCodes.FlowSchemaInvalid);
        yield return Record("fiscal code of 17 characters", b => b.CodiceFiscale = "RSSMRA85T10A562SX", RuleCodes.FlowSchemaInvalid);
        yield return Record("fiscal code with SQL in it", b => b.CodiceFiscale = "RSSMRA'--T10A562S", RuleCodes.FlowSchemaInvalid);
        yield return Record("fiscal code: omocodia with a wrong check character", b => b.CodiceFiscale = "RSSMRA85T10A56NS", RuleCodes.FiscalCodeInvalid);
        yield return Record("fiscal code: day 72 (impossible)", b => b.CodiceFiscale = "RSSMRA85T72A562S", RuleCodes.FiscalCodeInvalid);
        yield return Record("fiscal code: lower case with a wrong check character", b => b.CodiceFiscale = "rssmra85t10a562t", RuleCodes.FiscalCodeInvalid);
        yield return Record("11-digit fiscal code of zeros with a wrong check digit", b => b.CodiceFiscale = "00000000001", RuleCodes.FiscalCodeInvalid);
        yield return Record("PeriodoErogazione 13", b => { b.Prestazioni[0] = BeneficiarioSpec.DefaultPeriodic(); b.Prestazione["PeriodoErogazione"] = "13"; }, RuleCodes.FlowSchemaInvalid);
        yield return Record("PeriodoErogazione 0", b => { b.Prestazioni[0] = BeneficiarioSpec.DefaultPeriodic(); b.Prestazione["PeriodoErogazione"] = "0"; }, RuleCodes.FlowSchemaInvalid);
        yield return Record("DenominazionePrestazione of 9 characters (min 10)", b => b.Prestazione["DenominazionePrestazione"] = "Buoni 123", RuleCodes.FlowSchemaInvalid);
        yield return Record("DenominazionePrestazione of 201 characters", b => b.Prestazione["DenominazionePrestazione"] = new string('D', 201), RuleCodes.FlowSchemaInvalid);
        yield return Record("CodicePrestazione of 11 characters", b => b.Prestazione["CodicePrestazione"] = "A1.06.01.01", RuleCodes.FlowSchemaInvalid);
        yield return Record("ProtocolloDomanda of 33 characters", b => b.Prestazione["ProtocolloDomanda"] = new string('P', 33), RuleCodes.FlowSchemaInvalid);
        yield return Record("NumeroProtocolloDSU of 31 characters", b => b.Prestazione["NumeroProtocolloDSU"] = new string('9', 31), RuleCodes.FlowSchemaInvalid);
        yield return Record("amount with an exponent", b => b.Prestazione["ImportoPrestazione"] = "1E10", RuleCodes.FlowSchemaInvalid);
        yield return Record("amount with a comma", b => b.Prestazione["ImportoPrestazione"] = "150,00", RuleCodes.FlowSchemaInvalid);
        yield return Record("amount NaN", b => b.Prestazione["ImportoPrestazione"] = "NaN", RuleCodes.FlowSchemaInvalid);
        yield return Record("negative one-off amount", b => b.Prestazione["ImportoPrestazione"] = "-0.01", RuleCodes.OneOffAmountRequired);
        yield return Record("zero one-off amount", b => b.Prestazione["ImportoPrestazione"] = "0.00", RuleCodes.OneOffAmountRequired);
        yield return Record("absurd amount past decimal's range (40 digits)", b => b.Prestazione["ImportoPrestazione"] = new string('9', 40), RuleCodes.FlowSchemaInvalid);
        yield return Record("negative monthly amount", b => { b.Prestazioni[0] = BeneficiarioSpec.DefaultPeriodic(); b.Prestazione["ImportoMensile"] = "-400.00"; }, RuleCodes.PeriodicMonthlyAmountRequired);
        yield return Record("negative quota that makes the sum match", b => { b.Prestazione["ImportoQuotaEnte"] = "300"; b.Prestazione["ImportoQuotaUtente"] = "-100"; }, RuleCodes.QuotasSumMismatch);
        yield return Record("date 2026-02-30", b => b.Prestazione["DataErogazionePrestazione"] = "2026-02-30", RuleCodes.FlowSchemaInvalid);
        yield return Record("date with a time", b => b.Prestazione["DataErogazionePrestazione"] = "2026-01-01T00:00:00", RuleCodes.FlowSchemaInvalid);
        yield return Record("date 9999-12-31", b => b.Prestazione["DataErogazionePrestazione"] = "9999-12-31", RuleCodes.DateInFuture);
        yield return Record("date year 0001 (before any benefit code)", b => b.Prestazione["DataErogazionePrestazione"] = "0001-01-01", RuleCodes.BenefitCodeNotValidOnDate);
        yield return Record("DataEvento in the future", b => { b.Prestazione["CodicePrestazione"] = "A1.05.01"; b.Prestazione["DataEvento"] = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd"); }, RuleCodes.DateInFuture);
        yield return Record("periodic start year 9999", b => { b.Prestazioni[0] = BeneficiarioSpec.DefaultPeriodic(); b.Prestazione["DataInizioPrestazione"] = "9999-01-01"; }, RuleCodes.DateInFuture);
        yield return Record("unknown benefit code shaped like a real one", b => b.Prestazione["CodicePrestazione"] = "A1.06.99", RuleCodes.BenefitCodeUnknown);
        yield return Record("benefit code with trailing space", b => b.Prestazione["CodicePrestazione"] = "A1.6 ", RuleCodes.BenefitCodeUnknown);
        yield return Record("unknown TipoOperazione", b => b.Prestazione["TipoOperazione"] = "X", RuleCodes.FlowSchemaInvalid);
        yield return Record("unknown PresenzaProvaMezzi", b => b.Prestazione["PresenzaProvaMezzi"] = "9", RuleCodes.FlowSchemaInvalid);
        yield return Record("unknown AreaUtenza", b => { b.Prestazione["PresaCarico"] = "1"; b.Prestazione["AreaUtenza"] = "99"; }, RuleCodes.FlowSchemaInvalid);
        yield return Record("cancellation of a record never sent", b => b.Prestazione["TipoOperazione"] = "C", RuleCodes.RecordNotFound);
        yield return Built(Data, "one good and one bad record: the good one is not stored either", () => new FlowBuilder().Beneficiario().Beneficiario(b => b.CodiceFiscale = "RSSMRA85T10A562T"), RuleCodes.FiscalCodeInvalid);
        yield return Built(Data, "the same record twice in one flow", () =>
        {
            var f = new FlowBuilder().Beneficiario();
            var copy = f.ToBeneficiaryPrestazione(0);
            return f.Beneficiario(b => b.Prestazioni[0] = copy);
        }, RuleCodes.RecordDuplicate);
    }
}
