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
        Assert.That((await SubmitAsync(useNewCode)).EsitiRecord[0].Errori.Select(e => e.Codice), Does.Contain(RuleCodes.BenefitCodeUnknown));

        var set = await Host("codes", "set", "--codice", "A1.21", "--descrizione", "Contributo sperimentale", "--valido-dal", FlowBuilder.DaysAgo(7));
        Assert.That(set.ExitCode, Is.EqualTo(0), set.ToString());

        Assert.That((await SubmitAsync(useNewCode)).Esito, Is.EqualTo(Esiti.Ok), "valid from a week ago, paid five days ago");
        var early = await SubmitAsync(b => { useNewCode(b); b.Prestazione["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(20); });
        Assert.That(early.EsitiRecord[0].Errori.Select(e => e.Codice), Does.Contain(RuleCodes.BenefitCodeNotValidOnDate));

        var list = await Host("codes", "list", "--on", FlowBuilder.DaysAgo(0));
        Assert.That(list.StdOut, Does.Contain("A1.21\tA1\t"), list.ToString());
    }

    [Test]
    public async Task Closing_a_code_refuses_later_benefits_and_import_replaces_flags()
    {
        var close = await Host("codes", "set", "--codice", "A1.06", "--valido-al", FlowBuilder.DaysAgo(10));
        Assert.That(close.ExitCode, Is.EqualTo(0), close.ToString());
        Assert.That((await SubmitAsync(_ => { })).EsitiRecord[0].Errori.Select(e => e.Codice), Does.Contain(RuleCodes.BenefitCodeNotValidOnDate));

        var file = Path.Combine(_register.DataDirectory, "codes.csv");
        File.WriteAllText(file, "codice;descrizione;sezione;valido_dal;valido_al;richiede_presa_carico;richiede_data_evento\n" +
                                "A1.06;Buoni spesa o buoni pasto;A1;2015-01-01;;0;1\n");
        var import = await Host("codes", "import", "--file", file);
        Assert.That(import.StdOut, Does.Contain("0 codes added, 1 updated"), import.ToString());

        var ricevuta = await SubmitAsync(_ => { });
        Assert.That(ricevuta.EsitiRecord[0].Errori.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.DataEventoRequired }));
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
        Assert.That((await SubmitAsync(b => b.Prestazione["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(40))).Esito, Is.EqualTo(Esiti.Ok));
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
            Assert.That(roma[2..8], Is.EqualTo(new[] { "3", "2", "1", "3", "1", "1" }), "received, acquired, refused, records accepted, refused, late");
            Assert.That(roma[9], Is.Empty);
            Assert.That(milano[2], Is.EqualTo("0"));
            Assert.That(milano[9], Is.EqualTo("SI"), "Milano sent nothing");
            Assert.That(table.StdOut, Does.Contain("2 bodies, 1 sent nothing"), table.ToString());
            Assert.That(lastYear.StdOut.Split('\n').Count(l => l.EndsWith(";SI")), Is.EqualTo(2), lastYear.ToString());
        });
    }
}
