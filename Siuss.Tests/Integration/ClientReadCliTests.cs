using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Siuss.Client;
using Siuss.Contracts.Documents;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>
/// <c>siuss-client receipts</c> and <c>siuss-client reconcile</c> as real processes against a real register on
/// loopback: receipts across pages with the state file, reruns, a SIGKILL midway; reconciliation finding a missing,
/// an extra and a changed record, then an unchanged period once a correction flow is sent.
/// Each test has its own body, so the receipts and records of one never show in another.
/// </summary>
[TestFixture]
public sealed class ClientReadCliTests
{
    private RunningRegister _register = null!;
    private string _registerPem = "";
    private X509Certificate2 _registerCertificate = null!;
    private string _work = null!;

    [OneTimeSetUp]
    public async Task StartRegister()
    {
        _register = await RunningRegister.StartAsync();
        _registerCertificate = await _register.DownloadReceiptCertificateAsync();
        _registerPem = _registerCertificate.ExportCertificatePem();
    }

    [OneTimeTearDown]
    public async Task StopRegister() => await _register.DisposeAsync();

    [SetUp]
    public void FreshWorkingDirectory()
    {
        _work = Directory.CreateTempSubdirectory("siuss-client-read-").FullName;
        File.WriteAllText(Path.Combine(_work, "register.pem"), _registerPem);
    }

    [TearDown]
    public void Clean()
    {
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { /* the temp folder is cleaned by the OS */ }
    }

    private string Url => _register.Endpoint.ToString();

    /// <summary>A body of its own for one test, registered with a fresh certificate written to body.pem/body-key.pem.</summary>
    private async Task<X509Certificate2> BodyAsync(string code)
    {
        var certificate = TestCertificates.Rsa($"CN=Ente {code}");
        await _register.RegisterAgencyAsync(code, certificate, belfiore: code);
        File.WriteAllText(Path.Combine(_work, "body.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_work, "body-key.pem"), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return certificate;
    }

    private string[] Signer(string code) => ["--url", Url, "--ente", code, "--cert", "body.pem", "--key", "body-key.pem", "--register-cert", "register.pem"];

    private Task<CliResult> Client(params string[] args) => CliProcess.RunAsync(CliProcess.ClientDll, _work, args, TimeSpan.FromMinutes(2));

    private async Task<(Ricevuta Receipt, byte[] Raw)> SubmitAsync(FlowBuilder flow, X509Certificate2 signer)
    {
        var bytes = flow.ToBytes();
        await using var client = _register.NewClient();
        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, flow.CodiceEnte, flow.Nome, signer), bytes);
        var receipt = ReceiptVerifier.Verify(raw, _registerCertificate).Ricevuta;
        Assert.That(receipt.Esito, Is.EqualTo("OK"), string.Join("; ", receipt.EsitiRecord.SelectMany(r => r.Errori).Select(e => e.Codice)));
        return (receipt, raw);
    }

    private async Task<List<(Ricevuta Receipt, byte[] Raw)>> SubmitManyAsync(string code, X509Certificate2 signer, int count)
    {
        var receipts = new List<(Ricevuta, byte[])>();
        for (var i = 0; i < count; i++)
            receipts.Add(await SubmitAsync(new FlowBuilder(code, belfiore: code).Beneficiario(), signer));
        return receipts;
    }

    private static string Line(CliResult result, string label)
    {
        var match = Regex.Match(result.StdOut, $"^{Regex.Escape(label)}: (.+)$", RegexOptions.Multiline);
        Assert.That(match.Success, Is.True, $"no '{label}:' line\n{result}");
        return match.Groups[1].Value.Trim();
    }

    private string ReceiptsFolder => Path.Combine(_work, "ricevute");

    /// <summary>Asserts the folder holds exactly these receipts, each byte for byte, and nothing else but the state file.</summary>
    private void AssertSavedExactly(IEnumerable<(Ricevuta Receipt, byte[] Raw)> expected)
    {
        var files = Directory.GetFiles(ReceiptsFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var wanted = expected.ToDictionary(e => ReceiptFileName(e.Receipt), e => e.Raw);
        Assert.Multiple(() =>
        {
            Assert.That(files, Is.EquivalentTo(wanted.Keys.Append("receipts-state.json")), "one file per receipt, nothing left over");
            foreach (var (name, raw) in wanted)
                if (File.Exists(Path.Combine(ReceiptsFolder, name)))
                    Assert.That(File.ReadAllBytes(Path.Combine(ReceiptsFolder, name)), Is.EqualTo(raw), $"{name}: the receipt byte for byte");
        });
    }

    private static string ReceiptFileName(Ricevuta receipt) => $"{receipt.NomeFlusso}.{receipt.IdMessaggio}.ricevuta.xml";

    private long StateCursor()
    {
        using var state = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ReceiptsFolder, "receipts-state.json")));
        return state.RootElement.GetProperty("Cursore").GetInt64();
    }

    [Test]
    public async Task Receipts_come_page_after_page_then_a_rerun_fetches_nothing_then_new_submissions_appear()
    {
        var roma = await BodyAsync("H501");
        var first = await SubmitManyAsync("H501", roma, 5);

        var run = await Client(["receipts", .. Signer("H501"), "--limit", "2"]);

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(Line(run, "Receipts"), Does.StartWith("5 new, 0 already saved, 0 with a refusal; cursor "), run.ToString());
            foreach (var (receipt, _) in first)
                Assert.That(run.StdOut, Does.Match($@"\d+\s+OK\s+{receipt.IdAcquisizione}\s+{Regex.Escape(receipt.NomeFlusso)}\s+{Regex.Escape(ReceiptFileName(receipt))}"), run.ToString());
        });
        AssertSavedExactly(first);
        var cursor = StateCursor();
        Assert.That(cursor, Is.GreaterThan(0));

        var again = await Client(["receipts", .. Signer("H501"), "--limit", "2"]);
        Assert.Multiple(() =>
        {
            Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
            Assert.That(Line(again, "Receipts"), Does.StartWith($"0 new, 0 already saved, 0 with a refusal; cursor {cursor} "), again.ToString());
        });

        var later = await SubmitManyAsync("H501", roma, 3);
        var third = await Client(["receipts", .. Signer("H501"), "--limit", "2"]);
        Assert.Multiple(() =>
        {
            Assert.That(third.ExitCode, Is.EqualTo(0), third.ToString());
            Assert.That(Line(third, "Receipts"), Does.StartWith("3 new, 0 already saved"), third.ToString());
            Assert.That(StateCursor(), Is.GreaterThan(cursor));
        });
        AssertSavedExactly(first.Concat(later));
    }

    [Test]
    public async Task A_run_killed_midway_then_run_again_ends_with_every_receipt_saved_exactly_once()
    {
        var milano = await BodyAsync("F205");
        var submitted = await SubmitManyAsync("F205", milano, 40);

        // One receipt per page, so the kill lands between pages, between a save and its cursor, or inside a save.
        var info = CliProcess.StartInfo(CliProcess.ClientDll, _work, ["receipts", .. Signer("F205"), "--limit", "1"]);
        using (var process = Process.Start(info)!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (SavedReceipts() < 3 && !process.HasExited && DateTime.UtcNow < deadline)
                await Task.Delay(5);
            Assume.That(process.HasExited, Is.False, "the run finished before it could be killed; nothing to prove");
            process.Kill(); // SIGKILL: no chance to tidy up
            await process.WaitForExitAsync();
        }
        var savedBeforeRerun = SavedReceipts();
        Assert.That(savedBeforeRerun, Is.InRange(3, 39), "killed midway");

        var rerun = await Client(["receipts", .. Signer("F205"), "--limit", "1"]);

        Assert.Multiple(() =>
        {
            Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.ToString());
            var summary = Regex.Match(Line(rerun, "Receipts"), @"^(\d+) new, (\d+) already saved");
            Assert.That(int.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture), Is.EqualTo(40 - savedBeforeRerun), rerun.ToString());
            Assert.That(int.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(1),
                "at most the one receipt saved before its cursor moved is met again\n" + rerun);
        });
        AssertSavedExactly(submitted);
    }

    private int SavedReceipts() =>
        Directory.Exists(ReceiptsFolder) ? Directory.GetFiles(ReceiptsFolder, "*.ricevuta.xml").Length : 0;

    [Test]
    public async Task Reconcile_finds_a_missing_an_extra_and_a_changed_record_then_the_corrected_period_is_unchanged()
    {
        var torino = await BodyAsync("L219");
        var today = FlowBuilder.DaysAgo(0);
        var periodo = today[..7];
        var flow = new FlowBuilder("L219", belfiore: "L219");
        foreach (var protocollo in new[] { "SAME-1", "CHANGED-1", "EXTRA-1" })
            flow.Beneficiario(b =>
            {
                b.Prestazione["ProtocolloDomanda"] = protocollo;
                b.Prestazione["DataErogazionePrestazione"] = today;
            });
        var (receipt, _) = await SubmitAsync(flow, torino);

        // The body's database: SAME-1 as sent; CHANGED-1 now 180 (the 150 version kept as cancelled);
        // MISSING-1 never sent; EXTRA-1 is not there (it was sent by mistake).
        var csv = new StringBuilder();
        csv.AppendLine("CodiceFiscale,CodicePrestazione,ProtocolloDomanda,DataRiferimento,DenominazionePrestazione,PresenzaProvaMezzi,CaratterePrestazione,DataErogazionePrestazione,ImportoPrestazione,PresaCarico,Stato");
        void Row(string protocollo, string amount, string stato) =>
            csv.AppendLine($"RSSMRA85T10A562S,A1.06,{protocollo},{today},Buoni spesa per emergenza alimentare,4,2,{today},{amount},2,{stato}");
        Row("SAME-1", "150.00", "ATTIVA");
        Row("CHANGED-1", "150.00", "ANNULLATA");
        Row("CHANGED-1", "180.00", "ATTIVA");
        Row("MISSING-1", "75.00", "ATTIVA");
        File.WriteAllText(Path.Combine(_work, "export.csv"), csv.ToString());

        var reconcile = await Client(["reconcile", .. Signer("L219"), "--periodo", periodo, "--local", "export.csv", "--explain", "--limit", "2"]);

        Assert.Multiple(() =>
        {
            Assert.That(reconcile.ExitCode, Is.EqualTo(1), "differences exit 1\n" + reconcile);
            Assert.That(reconcile.StdOut, Does.Contain($"{periodo}: register 3 active and 0 cancelled, local 3 active; 1 missing, 1 extra, 1 changed"), reconcile.ToString());
            Assert.That(reconcile.StdOut, Does.Match(@$"MISSING\s+RSSMRA85T10A562S\s+A1\.06\s+MISSING-1\s+{today}\s+not in the register; active in export\.csv line 5"), reconcile.ToString());
            Assert.That(reconcile.StdOut, Does.Match(@$"EXTRA\s+RSSMRA85T10A562S\s+A1\.06\s+EXTRA-1\s+{today}\s+inserted by flow {Regex.Escape(flow.Nome)} \(acquisition {receipt.IdAcquisizione}\)"), reconcile.ToString());
            Assert.That(reconcile.StdOut, Does.Match(@$"CHANGED\s+RSSMRA85T10A562S\s+A1\.06\s+CHANGED-1\s+{today}\s+the register holds the version of export\.csv line 3"), reconcile.ToString());
            Assert.That(reconcile.StdOut, Does.Contain("ImportoPrestazione: register 150 | local 180"), reconcile.ToString());
            Assert.That(reconcile.StdOut, Does.Contain("Reconciled 1 month(s): 3 difference(s)."), reconcile.ToString());
        });

        // The correction flow: C and I of the changed record, I of the missing one, C of the extra one.
        var original = flow.ToBeneficiaryPrestazione(1);
        var extra = flow.ToBeneficiaryPrestazione(2);
        var correction = new FlowBuilder("L219", belfiore: "L219").Beneficiario(b =>
        {
            b.Prestazioni.Clear();
            b.Prestazioni.Add(new Dictionary<string, string?>(original) { ["TipoOperazione"] = "C" });
            b.Prestazioni.Add(new Dictionary<string, string?>(original) { ["ImportoPrestazione"] = "180.00" });
            b.Prestazioni.Add(new Dictionary<string, string?>(original) { ["ProtocolloDomanda"] = "MISSING-1", ["ImportoPrestazione"] = "75.00" });
            b.Prestazioni.Add(new Dictionary<string, string?>(extra) { ["TipoOperazione"] = "C" });
        });
        await SubmitAsync(correction, torino);

        var again = await Client(["reconcile", .. Signer("L219"), "--periodo", periodo, "--local", "export.csv"]);

        Assert.Multiple(() =>
        {
            Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
            Assert.That(again.StdOut, Does.Contain($"{periodo}: period unchanged (3 active records, digest "), again.ToString());
            Assert.That(again.StdOut, Does.Contain("Reconciled 1 month(s): no differences."), again.ToString());
        });
    }

    [Test]
    public async Task Reconcile_against_the_flow_files_sent_reports_every_month_of_a_range_unchanged()
    {
        var bari = await BodyAsync("A662");
        var today = DateTime.UtcNow.Date;
        var flows = Directory.CreateDirectory(Path.Combine(_work, "flussi"));
        // Progressives 1 and 2 of today, as a body's software numbers its flows: the folder is read in that order.
        var first = new FlowBuilder("A662", $"A662.PS.{FlowBuilder.Today}.0000001", "A662")
            .Beneficiario(b => b.Prestazione["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(0))
            .Beneficiario(b => b.Prestazione["ProtocolloDomanda"] = "TO-CORRECT");
        await SubmitAsync(first, bari);
        var corrected = first.ToBeneficiaryPrestazione(1);
        var second = new FlowBuilder("A662", $"A662.PS.{FlowBuilder.Today}.0000002", "A662").Beneficiario(b =>
        {
            b.Prestazioni.Clear();
            b.Prestazioni.Add(new Dictionary<string, string?>(corrected) { ["TipoOperazione"] = "C" });
            b.Prestazioni.Add(new Dictionary<string, string?>(corrected) { ["ImportoPrestazione"] = "99.90" });
        });
        await SubmitAsync(second, bari);
        File.WriteAllBytes(Path.Combine(flows.FullName, first.Nome + ".xml"), first.ToBytes());
        File.WriteAllBytes(Path.Combine(flows.FullName, second.Nome + ".xml"), second.ToBytes());
        var from = today.AddMonths(-2).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var to = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var reconcile = await Client(["reconcile", .. Signer("A662"), "--periodo", $"{from}..{to}", "--local", "flussi"]);

        Assert.Multiple(() =>
        {
            Assert.That(reconcile.ExitCode, Is.EqualTo(0), reconcile.ToString());
            Assert.That(Regex.Matches(reconcile.StdOut, @"^\d{4}-\d\d: period unchanged", RegexOptions.Multiline), Has.Count.EqualTo(3), reconcile.ToString());
            Assert.That(reconcile.StdOut, Does.Contain("Reconciled 3 month(s): no differences."), reconcile.ToString());
        });
    }

    [TestCase(new[] { "receipts", "--limit", "0" }, "--limit must be at least 1", TestName = "Receipts with a zero limit")]
    [TestCase(new[] { "reconcile", "--periodo", "11/2026", "--local", "export.csv" }, "--periodo takes a month yyyy-MM", TestName = "Reconcile with a bad period")]
    [TestCase(new[] { "reconcile", "--periodo", "2026-11", "--local", "nowhere" }, "is neither a file nor a folder", TestName = "Reconcile without a local export")]
    [TestCase(new[] { "reconcile", "--periodo", "2026-11", "--local", "bad.csv" }, "bad.csv: unknown column 'Importo'", TestName = "Reconcile with a CSV of unknown columns")]
    public async Task Read_verb_usage_errors_exit_3_with_a_message(string[] args, string message)
    {
        // Refused before anything is sent: the body need not even be registered.
        var certificate = TestCertificates.Rsa("CN=Ente G273");
        File.WriteAllText(Path.Combine(_work, "body.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_work, "body-key.pem"), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_work, "bad.csv"), "CodiceFiscale,Importo\n");

        var result = await Client([.. args, .. Signer("G273")]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), result.ToString());
            Assert.That(result.StdErr, Does.Contain(message), result.ToString());
            Assert.That(result.StdErr, Does.Not.Contain("   at "), "a message, not a stack trace\n" + result);
        });
    }
}
