using System.Text;
using System.Text.RegularExpressions;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Tests.Support;
using static Siuss.Tests.Support.HostileKit;

namespace Siuss.Tests.Hostile;

/// <summary>
/// Hostile SINBA flows (children's case files) under a valid signature of H501: refused with the exact code, the
/// refusal kept, not one SINBA record stored - not even the valid records of a flow with one bad record.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class SinbaAttackTests(string engine) : HostileFixture(engine)
{
    [TestCaseSource(nameof(Cases))]
    public async Task Hostile_SINBA_flow_is_refused_and_nothing_stored(HostileCase c) => await World.AssertAsync(c);

    private const string Sinba = "SINBA flow";

    public static IEnumerable<TestCaseData> Cases() => All().Select(c => c.ToTestCase());

    /// <summary>A sample of Conformance/Samples/Sinba rewritten as a fresh H501 flow, then edited.</summary>
    private static HostileCase Sample(string name, string file, Func<string, string> edit, string code, string tipo = TipiFlusso.Sinba) =>
        new(Sinba, name, w =>
        {
            var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Conformance", "Samples", "Sinba", file);
            var nome = FlowBuilder.NewName("H501", "SINBA");
            var xml = File.ReadAllText(path);
            xml = Regex.Replace(xml, "(<IdentificazioneFlusso[^>]*Nome=\")[^\"]*\"", $"${{1}}{nome}\"");
            xml = Regex.Replace(xml, "<Ente[^>]*>", m => Regex.Replace(Regex.Replace(m.Value, "Codice=\"[^\"]*\"", "Codice=\"H501\""), "Indirizzo=\"[^\"]*\"", "Indirizzo=\"H501\""));
            return SignedFlow(Encoding.UTF8.GetBytes(edit(xml)), w.Roma, nome: nome, tipo: tipo);
        }, Expectation.Refused(code));

    private static string AfterDecl(string xml, string insert)
    {
        int end = xml.IndexOf("?>", StringComparison.Ordinal) + 2;
        return xml[..end] + insert + xml[end..];
    }

    private const string Valid = "valid-case-closed-came-of-age.xml";
    private const string Several = "valid-several-records.xml";

    public static IEnumerable<HostileCase> All()
    {
        yield return Sample("internal entity", Valid, x => AfterDecl(x, "<!DOCTYPE Flusso [<!ENTITY e \"NA-AFF-0000102\">]>").Replace("\"NA-AFF-0000102\"", "\"&e;\""), RuleCodes.FlowDtdProhibited);
        yield return Sample("billion laughs", Valid, x => AfterDecl(x, SignedHeaderAttackTests.BillionLaughs("Flusso")).Replace("\"NA-AFF-0000102\"", "\"&lol9;\""), RuleCodes.FlowDtdProhibited);
        yield return Sample("the child's fiscal code as IDBeneficiario, in the last of four records", Several, x => x.Replace("IDBeneficiario=\"BA-0004\"", "IDBeneficiario=\"RSSMRA85T10A562S\""), RuleCodes.SinbaIdIsFiscalCode);
        yield return Sample("a fiscal code hidden inside IDBeneficiario, lower case", Valid, x => x.Replace("IDBeneficiario=\"NA-AFF-0000102\"", "IDBeneficiario=\"x-rssmra85t10a562s\""), RuleCodes.SinbaIdIsFiscalCode);
        yield return Sample("a fiscal code in fullwidth letters and digits as IDBeneficiario", Valid, x => x.Replace("IDBeneficiario=\"NA-AFF-0000102\"", "IDBeneficiario=\"ＲＳＳＭＲＡ８５Ｔ１０Ａ５６２Ｓ\""), RuleCodes.SinbaIdIsFiscalCode);
        yield return Sample("a fiscal code with Cyrillic and Greek look-alikes as IDBeneficiario", Valid, x => x.Replace("IDBeneficiario=\"NA-AFF-0000102\"", "IDBeneficiario=\"RSSМRΑ85T10А562S\""), RuleCodes.SinbaIdIsFiscalCode);
        yield return Sample("a fiscal code cut by separators as IDBeneficiario", Valid, x => x.Replace("IDBeneficiario=\"NA-AFF-0000102\"", "IDBeneficiario=\"RSS.MRA.85T10.A562S\""), RuleCodes.SinbaIdIsFiscalCode);
        yield return Sample("IDBeneficiario of one space", Valid, x => x.Replace("IDBeneficiario=\"NA-AFF-0000102\"", "IDBeneficiario=\" \""), RuleCodes.SinbaIdBlank);
        yield return Sample("IDBeneficiario of 21 characters", Valid, x => x.Replace("IDBeneficiario=\"NA-AFF-0000102\"", $"IDBeneficiario=\"{new string('X', 21)}\""), RuleCodes.FlowSchemaInvalid);
        yield return Sample("a first report dated 12/2099", Valid, x => x.Replace("DataPrimaSegnalazione=\"04/2015\"", "DataPrimaSegnalazione=\"12/2099\""), RuleCodes.SinbaDateAfterReceipt);
        yield return Sample("a first report dated 13/2015", Valid, x => x.Replace("DataPrimaSegnalazione=\"04/2015\"", "DataPrimaSegnalazione=\"13/2015\""), RuleCodes.FlowSchemaInvalid);
        yield return Sample("an unknown benefit code", Valid, x => x.Replace("<CodicePrestazione>A1.01", "<CodicePrestazione>A9.99"), RuleCodes.SinbaBenefitCodeUnknown);
        yield return Sample("an unknown element smuggled into the record", Valid, x => x.Replace("<Prestazioni>", "<Evil/><Prestazioni>"), RuleCodes.FlowSchemaInvalid);
        yield return Sample("a SINBA flow declared as PS_PSA_SINA", Valid, x => x, RuleCodes.FlowSchemaInvalid, TipiFlusso.PsPsaSina);
        yield return Sample("a flow of another body", Valid, x => Regex.Replace(x, "<Ente([^>]*)Codice=\"H501\"", "<Ente$1Codice=\"F205\""), RuleCodes.FlowEnteMismatch);
    }
}
