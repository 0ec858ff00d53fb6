using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography.X509Certificates;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>The code table and the compliance report, run as real operator processes against a running register's data folder.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class OperatorCommandTests(string engine)
{
    private RunningRegister _register = null!;
    private X509Certificate2 _roma = null!;
    private X509Certificate2 _registerCertificate = null!;

    [SetUp]
    public async Task StartRegister()
    {
        _register = await RunningRegister.StartAsync(new Dictionary<string, string> { ["Siuss:CodeTableRefresh"] = "00:00:00" }, engine: engine);
        _roma = TestCertificates.Rsa();
        await _register.RegisterAgencyAsync("H501", _roma, name: "Comune di Roma");
        await _register.RegisterAgencyAsync("F205", TestCertificates.Ecdsa(), belfiore: "F205", name: "Comune di Milano");
        _registerCertificate = await _register.DownloadReceiptCertificateAsync();
    }

    [TearDown]
    public async Task StopRegister() => await _register.DisposeAsync();

    private Task<CliResult> Host(params string[] args) =>
        CliProcess.RunAsync(CliProcess.HostDll, _register.DataDirectory, [.. args, .. _register.OperatorArguments]);

    private async Task<Ricevuta> SubmitAsync(Action<BeneficiarioSpec> change)
    {
        var flow = new FlowBuilder().Beneficiario(change);
        var bytes = flow.ToBytes();
        await using var client = _register.NewClient();
        return ReceiptVerifier.Verify(await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, _roma), bytes), _registerCertificate).Ricevuta;
    }

    [Test]
    public async Task A_code_added_by_the_operator_is_accepted_without_a_release_and_only_from_its_start_date()
    {
        Action<BeneficiarioSpec> useNewCode = b => b.Prestazione["CodicePrestazione"] = "A1.21";
        // The seed table is partial: until the operator declares it complete, an unknown code only warns.
        var beforeComplete = await SubmitAsync(useNewCode);
        Assert.That(beforeComplete.Esito, Is.EqualTo(Esiti.Ok));
        Assert.That(beforeComplete.EsitiRecord[0].Avvertenze.Select(e => e.Codice), Does.Contain(RuleCodes.BenefitCodeUnknown));
        var file = Path.Combine(_register.DataDirectory, "official.csv");
        File.WriteAllText(file, "codice;descrizione;sezione;valido_dal;valido_al;richiede_presa_carico;richiede_data_evento\n" +
                                "A1.06;Buoni spesa o buoni pasto;A1;2015-01-01;;0;0\n");
        var complete = await Host("codes", "import", "--file", file, "--complete");
        Assert.That(complete.ExitCode, Is.EqualTo(0), complete.ToString());
        Assert.That(complete.StdOut, Does.Contain("declared complete (it was not complete)"), complete.ToString());
        Assert.That((await SubmitAsync(useNewCode)).EsitiRecord[0].Errori.Select(e => e.Codice), Does.Contain(RuleCodes.BenefitCodeUnknown));

        var set = await Host("codes", "set", "--codice", "A1.21", "--descrizione", "Contributo sperimentale", "--valido-dal", FlowBuilder.DaysAgo(7));
        Assert.That(set.ExitCode, Is.EqualTo(0), set.ToString());

        Assert.That((await SubmitAsync(useNewCode)).Esito, Is.EqualTo(Esiti.Ok), "valid from a week ago, paid five days ago");
        var early = await SubmitAsync(b => { useNewCode(b); b.Prestazione["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(20); });
        Assert.That(early.EsitiRecord[0].Avvertenze.Select(e => e.Codice), Does.Contain(RuleCodes.BenefitCodeNotValidOnDate), "register policy: a warning");

        var list = await Host("codes", "list", "--on", FlowBuilder.DaysAgo(0));
        Assert.That(list.StdOut, Does.Contain("A1.21\tA1\t"), list.ToString());
    }

    [Test]
    public async Task Closing_a_code_refuses_later_benefits_and_import_replaces_flags()
    {
        var close = await Host("codes", "set", "--codice", "A1.06", "--valido-al", FlowBuilder.DaysAgo(10));
        Assert.That(close.ExitCode, Is.EqualTo(0), close.ToString());
        Assert.That((await SubmitAsync(_ => { })).EsitiRecord[0].Avvertenze.Select(e => e.Codice), Does.Contain(RuleCodes.BenefitCodeNotValidOnDate));

        var file = Path.Combine(_register.DataDirectory, "codes.csv");
        File.WriteAllText(file, "codice;descrizione;sezione;valido_dal;valido_al;richiede_presa_carico;richiede_data_evento\n" +
                                "A1.06;Buoni spesa o buoni pasto;A1;2015-01-01;;0;1\n");
        var import = await Host("codes", "import", "--file", file);
        Assert.That(import.StdOut, Does.Contain("0 codes added, 1 updated"), import.ToString());

        var ricevuta = await SubmitAsync(_ => { });
        Assert.That(ricevuta.EsitiRecord[0].Avvertenze.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.DataEventoRequired }));
    }

    [Test]
    public async Task An_operator_raises_or_silences_a_policy_rule_and_the_change_is_audited()
    {
        Action<BeneficiarioSpec> future = b => b.Prestazione["DataErogazionePrestazione"] = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd");
        Assert.That((await SubmitAsync(future)).EsitiRecord[0].Avvertenze.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.DateInFuture }), "default: warn");

        var raise = await Host("rules", "set", "--code", RuleCodes.DateInFuture, "--severity", "refuse");
        Assert.That(raise.ExitCode, Is.EqualTo(0), raise.ToString());
        Assert.That(raise.StdOut, Does.Contain($"{RuleCodes.DateInFuture} warn -> refuse"), raise.ToString());
        var refused = await SubmitAsync(future);
        Assert.That(refused.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(refused.EsitiRecord[0].Errori.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.DateInFuture }));

        var silence = await Host("rules", "set", "--code", RuleCodes.DateInFuture, "--severity", "off");
        Assert.That(silence.StdOut, Does.Contain("refuse -> off"), silence.ToString());
        var silent = await SubmitAsync(future);
        Assert.That(silent.Esito, Is.EqualTo(Esiti.Ok));
        Assert.That(silent.EsitiRecord[0].Avvertenze, Is.Empty);

        var sourced = await Host("rules", "set", "--code", RuleCodes.QuotasSumMismatch, "--severity", "off");
        var unknown = await Host("rules", "set", "--code", "NO_SUCH_RULE", "--severity", "off");
        var badSeverity = await Host("rules", "set", "--code", RuleCodes.DateInFuture, "--severity", "maybe");
        Assert.Multiple(() =>
        {
            Assert.That(sourced.ExitCode, Is.EqualTo(2), sourced.ToString());
            Assert.That(sourced.StdErr, Does.Contain("only register-policy rules can be changed"), sourced.ToString());
            Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.ToString());
            Assert.That(badSeverity.ExitCode, Is.EqualTo(2), badSeverity.ToString());
        });

        var deleteRefused = Assert.CatchAsync<System.Data.Common.DbException>(async () => await _register.CountAsync("DELETE FROM rule_settings_audit"), "the audit is append-only");
        Assert.That(deleteRefused!.Message, Does.Contain("rule_settings_audit is append-only"));
        var audit = await Host("rules", "audit");
        var list = await Host("rules", "list");
        Assert.Multiple(() =>
        {
            Assert.That(audit.StdOut, Does.Contain(Environment.UserName), audit.ToString());
            Assert.That(audit.StdOut, Does.Contain("2 changes."), audit.ToString());
            Assert.That(list.StdOut, Does.Match($@"{RuleCodes.DateInFuture}\s+Policy\s+off\s+rules set"), list.ToString());
            Assert.That(list.StdOut, Does.Match($@"{RuleCodes.QuotasSumMismatch}\s+Specification\s+refuse\s+default"), list.ToString());
        });
    }

    [Test]
    public async Task Bad_code_commands_are_refused_with_a_message()
    {
        var newWithoutDescription = await Host("codes", "set", "--codice", "A1.99");
        var badDate = await Host("codes", "set", "--codice", "A1.06", "--valido-al", "31/12/2026");
        var missingFile = await Host("codes", "import", "--file", "nope.csv");

        Assert.That(newWithoutDescription.ExitCode, Is.EqualTo(2), newWithoutDescription.ToString());
        Assert.That(badDate.ExitCode, Is.EqualTo(2), badDate.ToString());
        Assert.That(missingFile.ExitCode, Is.EqualTo(2), missingFile.ToString());
    }

    [Test]
    public async Task The_compliance_report_counts_flows_and_records_per_body_and_names_bodies_that_sent_nothing()
    {
        Assert.That((await SubmitAsync(b =>
        {
            b.Prestazioni.Add(BeneficiarioSpec.DefaultPeriodic());
            b.Prestazioni[1]["DataInizioPrestazione"] = FlowBuilder.DaysAgo(5); // on time: first paid five days ago
        })).Esito, Is.EqualTo(Esiti.Ok));
        Assert.That((await SubmitAsync(b =>
        {
            b.Prestazione["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(40);
            b.Prestazione["PresenzaProvaMezzi"] = "1"; // a PSA record without DSU: accepted with the policy warning DSU_REQUIRED_FOR_PSA
        })).Esito, Is.EqualTo(Esiti.Ok));
        Assert.That((await SubmitAsync(b => b.CodiceFiscale = "RSSMRA85T10A562X")).Esito, Is.EqualTo(Esiti.RichiestaInvalida));

        var today = FlowBuilder.DaysAgo(0);
        var csv = await Host("report", "compliance", "--from", FlowBuilder.DaysAgo(1), "--to", today, "--csv");
        var table = await Host("report", "compliance", "--from", FlowBuilder.DaysAgo(1), "--to", today);
        var lastYear = await Host("report", "compliance", "--from", "2020-01-01", "--to", "2020-12-31", "--csv");

        Assert.That(csv.ExitCode, Is.EqualTo(0), csv.ToString());
        var lines = csv.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var roma = lines.Single(l => l.StartsWith("H501;")).Split(';');
        var milano = lines.Single(l => l.StartsWith("F205;")).Split(';');
        Assert.Multiple(() =>
        {
            Assert.That(roma[2..9], Is.EqualTo(new[] { "3", "2", "1", "3", "1", "1", "1" }),
                "received, acquired, refused, records accepted, refused, late, accepted with a warning (the PSA record without DSU)");
            Assert.That(roma[10], Is.Empty);
            Assert.That(milano[2], Is.EqualTo("0"));
            Assert.That(milano[10], Is.EqualTo("SI"), "Milano sent nothing");
            Assert.That(table.StdOut, Does.Contain("2 bodies, 1 sent nothing"), table.ToString());
            Assert.That(lastYear.StdOut.Split('\n').Count(l => l.EndsWith(";SI")), Is.EqualTo(2), lastYear.ToString());
        });
    }

    [TestCase("QUOTAS_SUM_MISMATCH", "off", "only register-policy rules can be changed")]
    [TestCase("NO_SUCH_RULE", "warn", "is not a rule code")]
    [TestCase("DATE_IN_FUTURE", "sometimes", "is not a severity")]
    public void A_register_configured_with_a_severity_it_cannot_have_does_not_start(string code, string severity, string message)
    {
        var e = Assert.CatchAsync<Exception>(async () =>
            await RunningRegister.StartAsync(new Dictionary<string, string> { [$"Siuss:Rules:Severity:{code}"] = severity }));
        Assert.That(e!.Message, Does.Contain($"Siuss:Rules:Severity:{code}").And.Contain(message));
    }

    [Test]
    public async Task A_severity_set_by_configuration_applies_and_rules_set_takes_precedence()
    {
        await using var strict = await RunningRegister.StartAsync(new Dictionary<string, string>
        {
            ["Siuss:Rules:Severity:DSU_REQUIRED_FOR_PSA"] = "refuse", ["Siuss:CodeTableRefresh"] = "00:00:00",
        });
        var roma = TestCertificates.Rsa();
        await strict.RegisterAgencyAsync("H501", roma);
        var certificate = await strict.DownloadReceiptCertificateAsync();
        async Task<Ricevuta> Submit()
        {
            var flow = new FlowBuilder().Beneficiario(b => b.Prestazione["PresenzaProvaMezzi"] = "1");
            var bytes = flow.ToBytes();
            await using var client = strict.NewClient();
            return ReceiptVerifier.Verify(await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, roma), bytes), certificate).Ricevuta;
        }

        Assert.That((await Submit()).EsitiRecord[0].Errori.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.DsuRequiredForPsa }));
        await strict.Services.GetRequiredService<RuleSeverityCatalog>().SetSeverityAsync(RuleCodes.DsuRequiredForPsa, "warn", "test");
        var warned = await Submit();
        Assert.That(warned.Esito, Is.EqualTo(Esiti.Ok));
        Assert.That(warned.EsitiRecord[0].Avvertenze.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.DsuRequiredForPsa }));
    }
}
