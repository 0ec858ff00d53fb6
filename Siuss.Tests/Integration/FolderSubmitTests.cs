using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Siuss.Client;
using Siuss.Client.Submission;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>
/// <c>siuss-client submit --folder</c> as a real process against a real register on loopback: resumable (nothing
/// acknowledged is sent again, a SIGKILLed run run again ends with every flow acquired exactly once), with the
/// status of every file in the summary and an exit code for the folder.
/// </summary>
[TestFixture]
public sealed class FolderSubmitTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(600);
    private RunningRegister _register = null!;
    private X509Certificate2 _roma = null!;
    private X509Certificate2 _registerCertificate = null!;
    private string _work = null!;

    private string Folder => Path.Combine(_work, "flows");
    private string Url => _register.Endpoint.ToString();

    [OneTimeSetUp]
    public async Task StartRegister()
    {
        // Every SubmitFlow answer is held back after the flow is committed, so a kill can land between the two.
        _register = await RunningRegister.StartAsync(configure: builder =>
            builder.Services.AddSingleton<IStartupFilter>(new HoldSubmitAnswers(Hold)));
        _roma = TestCertificates.Rsa();
        await _register.RegisterAgencyAsync("H501", _roma);
        _registerCertificate = await _register.DownloadReceiptCertificateAsync();
    }

    [OneTimeTearDown]
    public async Task StopRegister() => await _register.DisposeAsync();

    [SetUp]
    public void FreshWorkingDirectory()
    {
        _work = Directory.CreateTempSubdirectory("siuss-client-folder-").FullName;
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(_work, "body.pem"), _roma.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_work, "body-key.pem"), _roma.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_work, "register.pem"), _registerCertificate.ExportCertificatePem());
    }

    [TearDown]
    public void Clean()
    {
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { /* the temp folder is cleaned by the OS */ }
    }

    private string[] SubmitArgs(string url, params string[] extra) =>
        ["submit", "--url", url, "--folder", "flows", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem", "--register-cert", "register.pem", .. extra];

    private Task<CliResult> SubmitFolder(params string[] extra) =>
        CliProcess.RunAsync(CliProcess.ClientDll, _work, SubmitArgs(Url, extra), TimeSpan.FromSeconds(120));

    private FlowBuilder WriteFlow(string file, FlowBuilder? flow = null)
    {
        flow ??= new FlowBuilder().Beneficiario();
        File.WriteAllBytes(Path.Combine(Folder, file), flow.ToBytes());
        return flow;
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>The status column of a file's row in the plain summary table.</summary>
    private static string StatusOf(CliResult result, string file)
    {
        var row = result.StdOut.Split('\n').Select(l => l.TrimEnd('\r'))
            .LastOrDefault(l => l.StartsWith(file + "  ", StringComparison.Ordinal));
        Assert.That(row, Is.Not.Null, $"no summary row for {file}\n{result}");
        return Regex.Split(row!, @"\s{2,}").Last();
    }

    private static int CountStatus(CliResult result, string status) =>
        Regex.Matches(result.StdOut, $@"^\[\d+/\d+\] \S+: {Regex.Escape(status)} \(", RegexOptions.Multiline).Count;

    private Ricevuta SavedReceipt(string file)
    {
        var path = Path.Combine(Folder, Path.GetFileNameWithoutExtension(file) + ".ricevuta.xml");
        Assert.That(File.Exists(path), Is.True, $"no receipt saved for {file}");
        return ReceiptVerifier.Verify(File.ReadAllBytes(path), _registerCertificate).Ricevuta;
    }

    private Task<long> Stored(string nomeFlusso, string? esito = null) =>
        _register.CountAsync("SELECT COUNT(*) FROM submissions WHERE agency_code = 'H501' AND nome_flusso = @nome AND (@esito IS NULL OR esito = @esito)",
            new { nome = nomeFlusso, esito });

    /// <summary>A journal entry as an interrupted run leaves it: the Trasmissione signed and persisted, the receipt not saved.</summary>
    private async Task<JournalEntry> JournalAsIfInterrupted(string file, FlowBuilder flow, DateTime? dataOraUtc = null)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder, file));
        var idMessaggio = Guid.NewGuid();
        var dataOra = dataOraUtc ?? DateTime.UtcNow;
        var entry = new JournalEntry
        {
            File = file,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            NomeFlusso = flow.Nome,
            TipoFlusso = TipiFlusso.PsPsaSina,
            IdMessaggio = idMessaggio.ToString(),
            SignedAtUtc = dataOra,
            Trasmissione = SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, _roma, TipiFlusso.PsPsaSina, idMessaggio, dataOra),
        };
        await new SubmissionJournal(Folder).SaveAsync(entry);
        return entry;
    }

    [Test]
    public async Task A_folder_is_submitted_with_a_summary_and_a_second_run_sends_nothing()
    {
        var flows = Enumerable.Range(1, 4).Select(i => WriteFlow($"flow-{i}.xml")).ToList();

        var first = await SubmitFolder("--parallel", "3");

        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(first.StdOut, Does.Contain("File  ").And.Contain("Flow").And.Contain("IdAcquisizione").And.Contain("Status"), first.ToString());
        Assert.That(first.StdOut, Does.Contain("4 file(s): 4 sent, 0 already acknowledged"), first.ToString());
        for (var i = 0; i < flows.Count; i++)
        {
            var file = $"flow-{i + 1}.xml";
            var receipt = SavedReceipt(file);
            Assert.Multiple(async () =>
            {
                Assert.That(StatusOf(first, file), Is.EqualTo("sent"), first.ToString());
                Assert.That(receipt.Esito, Is.EqualTo(Esiti.Ok));
                Assert.That(receipt.NomeFlusso, Is.EqualTo(flows[i].Nome));
                Assert.That(receipt.HashFlusso, Is.EqualTo(Sha256(Path.Combine(Folder, file))), "the receipt names this file's content");
                Assert.That(first.StdOut, Does.Contain(receipt.IdAcquisizione!), "the acquisition id is in the summary");
                Assert.That(await Stored(flows[i].Nome), Is.EqualTo(1));
            });
        }
        Assert.That(first.StdOut, Does.Not.Contain("RSSMRA85T10A562S"), "no fiscal code on the console");

        var submissions = await _register.CountAsync("SELECT COUNT(*) FROM submissions");
        var queries = await _register.CountAsync("SELECT COUNT(*) FROM query_messages");
        var second = await SubmitFolder();

        Assert.Multiple(async () =>
        {
            Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
            Assert.That(second.StdOut, Does.Contain("4 file(s): 0 sent, 4 already acknowledged, 0 recovered from register"), second.ToString());
            Assert.That(StatusOf(second, "flow-1.xml"), Is.EqualTo("already acknowledged"), second.ToString());
            Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions), "nothing submitted");
            Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM query_messages"), Is.EqualTo(queries), "not even a GetReceipt");
        });
    }

    [Test]
    public async Task A_client_killed_with_SIGKILL_midway_then_run_again_leaves_every_file_acquired_exactly_once()
    {
        const int count = 16;
        var flows = Enumerable.Range(1, count).Select(i => WriteFlow($"flow-{i:D2}.xml")).ToList();
        var names = flows.Select(f => f.Nome).ToArray();
        async Task<long> StoredOfThisFolder() =>
            await _register.CountAsync("SELECT COUNT(*) FROM submissions WHERE agency_code = 'H501' AND nome_flusso IN @names", new { names });
        int ReceiptsOnDisk() => Directory.GetFiles(Folder, "*.ricevuta.xml").Length;

        using (var client = new KillableClient(_work, SubmitArgs(Url, "--parallel", "4")))
        {
            // Kill when some files are acknowledged and at least one flow is stored whose answer is still held back.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!(ReceiptsOnDisk() >= 2 && await StoredOfThisFolder() > ReceiptsOnDisk()))
            {
                Assert.That(client.HasExited, Is.False, "the client finished before it could be killed\n" + client.Output);
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "never reached the kill point\n" + client.Output);
                await Task.Delay(20);
            }
            client.Kill();
        }
        var acknowledgedBeforeKill = ReceiptsOnDisk();
        // Let the register finish what was in flight when the client died: wait until its count stops moving.
        long storedAfterKill;
        for (var previous = -1L; ; previous = storedAfterKill)
        {
            await Task.Delay(Hold * 2);
            storedAfterKill = await StoredOfThisFolder();
            if (storedAfterKill == previous) break;
        }
        Assert.That(acknowledgedBeforeKill, Is.LessThan(count), "killed midway");
        Assert.That(storedAfterKill, Is.GreaterThan(acknowledgedBeforeKill), "some flows reached the register without their receipt reaching the client");

        var rerun = await SubmitFolder("--parallel", "4");

        TestContext.Out.WriteLine($"killed with {acknowledgedBeforeKill} of {count} receipts saved and {storedAfterKill} flows stored; rerun: {rerun.StdOut.Split('\n').Last(l => l.Contains(" file(s): "))}");
        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.ToString());
        Assert.Multiple(async () =>
        {
            Assert.That(CountStatus(rerun, "already acknowledged"), Is.EqualTo(acknowledgedBeforeKill), rerun.ToString());
            Assert.That(CountStatus(rerun, "recovered from register"), Is.EqualTo(storedAfterKill - acknowledgedBeforeKill), rerun.ToString());
            Assert.That(CountStatus(rerun, "sent"), Is.EqualTo(count - storedAfterKill), rerun.ToString());
            // Exactly once: one acquired row per flow, and no other row (a second message for a flow would be a refused row).
            Assert.That(await StoredOfThisFolder(), Is.EqualTo(count), "one submission per flow, no duplicate message");
            foreach (var nome in names)
                Assert.That(await Stored(nome, Esiti.Ok), Is.EqualTo(1), nome);
            var journal = new SubmissionJournal(Folder);
            for (var i = 0; i < count; i++)
            {
                var file = $"flow-{i + 1:D2}.xml";
                var receipt = SavedReceipt(file);
                Assert.That(receipt.Esito, Is.EqualTo(Esiti.Ok), file);
                Assert.That(receipt.NomeFlusso, Is.EqualTo(names[i]), file);
                Assert.That(receipt.IdMessaggio, Is.EqualTo(journal.Find(file)!.IdMessaggio), "the receipt answers the journaled Trasmissione");
            }
            Assert.That(Directory.GetFiles(Path.Combine(Folder, SubmissionJournal.DirectoryName), "*.siuss-tmp", SearchOption.AllDirectories), Is.Empty,
                "temporary files of the killed run are cleaned");
        });
    }

    [Test]
    public async Task A_journaled_Trasmissione_the_register_holds_is_recovered_by_GetReceipt_and_not_sent_again()
    {
        var flow = WriteFlow("flow.xml");
        var entry = await JournalAsIfInterrupted("flow.xml", flow);
        await using (var client = _register.NewClient())
            await client.SubmitAsync(entry.Trasmissione, File.ReadAllBytes(Path.Combine(Folder, "flow.xml")));
        var submissions = await _register.CountAsync("SELECT COUNT(*) FROM submissions");

        var run = await SubmitFolder();

        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(StatusOf(run, "flow.xml"), Is.EqualTo("recovered from register"), run.ToString());
            Assert.That(SavedReceipt("flow.xml").IdMessaggio, Is.EqualTo(entry.IdMessaggio));
            Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions), "not submitted again");
            Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM query_messages WHERE operazione = 'GetReceipt'"), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task A_journaled_Trasmissione_that_never_reached_the_register_is_sent_as_it_was_signed()
    {
        var flow = WriteFlow("flow.xml");
        var entry = await JournalAsIfInterrupted("flow.xml", flow);

        var run = await SubmitFolder();

        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(StatusOf(run, "flow.xml"), Is.EqualTo("sent"), run.ToString());
            Assert.That(SavedReceipt("flow.xml").IdMessaggio, Is.EqualTo(entry.IdMessaggio), "the journaled message, not a new one");
            Assert.That(await Stored(flow.Nome), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_journaled_Trasmissione_too_old_for_the_register_is_signed_again_and_sent()
    {
        var flow = WriteFlow("flow.xml");
        var stale = await JournalAsIfInterrupted("flow.xml", flow, DateTime.UtcNow.AddDays(-8));

        var run = await SubmitFolder();

        var entry = new SubmissionJournal(Folder).Find("flow.xml")!;
        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(StatusOf(run, "flow.xml"), Is.EqualTo("sent"), run.ToString());
            Assert.That(entry.IdMessaggio, Is.Not.EqualTo(stale.IdMessaggio), "signed again");
            Assert.That(entry.Superseded, Is.EqualTo(new[] { stale.IdMessaggio }), "the stale message is kept in the journal");
            Assert.That(SavedReceipt("flow.xml").IdMessaggio, Is.EqualTo(entry.IdMessaggio));
            Assert.That(await Stored(flow.Nome), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_changed_file_is_submitted_again_and_its_earlier_receipt_is_kept_aside()
    {
        WriteFlow("a.xml");
        var b = WriteFlow("b.xml");
        var first = await SubmitFolder();
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        var firstReceipt = SavedReceipt("b.xml");

        // The body's software exports b.xml again with another flow (a new name, as a correction must have).
        var corrected = WriteFlow("b.xml", new FlowBuilder().Beneficiario().Beneficiario());
        var second = await SubmitFolder();

        var receipt = SavedReceipt("b.xml");
        Assert.Multiple(async () =>
        {
            Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
            Assert.That(StatusOf(second, "a.xml"), Is.EqualTo("already acknowledged"), second.ToString());
            Assert.That(StatusOf(second, "b.xml"), Is.EqualTo("sent"), second.ToString());
            Assert.That(receipt.NomeFlusso, Is.EqualTo(corrected.Nome));
            Assert.That(receipt.Riepilogo.Validi, Is.EqualTo(2));
            Assert.That(await Stored(b.Nome), Is.EqualTo(1));
            Assert.That(await Stored(corrected.Nome), Is.EqualTo(1));
            Assert.That(File.Exists(Path.Combine(Folder, SubmissionJournal.DirectoryName, "superseded", $"b.ricevuta.{firstReceipt.IdMessaggio}.xml")),
                Is.True, "the receipt of the earlier content is kept");
        });
    }

    [Test]
    public async Task A_refused_flow_is_reported_with_exit_1_and_not_sent_again_until_the_file_changes()
    {
        WriteFlow("good.xml");
        WriteFlow("bad.xml", new FlowBuilder().Beneficiario(x => x.Prestazione["ImportoPrestazione"] = "0.00"));

        var first = await SubmitFolder();

        Assert.Multiple(() =>
        {
            Assert.That(first.ExitCode, Is.EqualTo(1), first.ToString());
            Assert.That(StatusOf(first, "good.xml"), Is.EqualTo("sent"), first.ToString());
            Assert.That(StatusOf(first, "bad.xml"), Is.EqualTo("refused"), first.ToString());
            Assert.That(first.StdOut, Does.Match(@"bad\.xml: refused \(RICHIESTA_INVALIDA, IdAcquisizione -, errors ONE_OFF_AMOUNT_REQUIRED\)"), first.ToString());
            Assert.That(SavedReceipt("bad.xml").Esito, Is.EqualTo(Esiti.RichiestaInvalida), "the refusal's receipt is saved as evidence");
        });

        var submissions = await _register.CountAsync("SELECT COUNT(*) FROM submissions");
        var second = await SubmitFolder();
        Assert.Multiple(async () =>
        {
            Assert.That(second.ExitCode, Is.EqualTo(1), "the folder is still not all acquired\n" + second);
            Assert.That(StatusOf(second, "bad.xml"), Is.EqualTo("refused earlier"), second.ToString());
            Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions), "the same bytes are not sent again");
        });

        WriteFlow("bad.xml"); // fixed
        var third = await SubmitFolder();
        Assert.Multiple(() =>
        {
            Assert.That(third.ExitCode, Is.EqualTo(0), third.ToString());
            Assert.That(StatusOf(third, "bad.xml"), Is.EqualTo("sent"), third.ToString());
        });
    }

    [Test]
    public async Task A_file_that_is_not_a_flow_is_reported_with_exit_3_while_the_others_are_sent()
    {
        WriteFlow("good.xml");
        File.WriteAllText(Path.Combine(Folder, "notes.xml"), "<not-a-flow/>");

        var run = await SubmitFolder();

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
            Assert.That(StatusOf(run, "good.xml"), Is.EqualTo("sent"), run.ToString());
            Assert.That(StatusOf(run, "notes.xml"), Is.EqualTo("failed (unusable file)"), run.ToString());
            Assert.That(run.StdOut, Does.Contain("has no IdentificazioneFlusso element"), run.ToString());
        });
    }

    [Test]
    public async Task A_signer_the_register_does_not_know_is_a_SOAP_fault_with_exit_2()
    {
        var stranger = TestCertificates.Rsa("CN=Someone else");
        File.WriteAllText(Path.Combine(_work, "body.pem"), stranger.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_work, "body-key.pem"), stranger.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var flow = WriteFlow("flow.xml");

        var run = await SubmitFolder();

        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(StatusOf(run, "flow.xml"), Is.EqualTo("failed (SOAP fault)"), run.ToString());
            Assert.That(run.StdOut, Does.Contain("SOAP fault CertificateNotRegistered"), run.ToString());
            Assert.That(await Stored(flow.Nome), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task An_unreachable_register_is_exit_4_and_the_next_run_sends_the_journaled_messages()
    {
        WriteFlow("a.xml");
        WriteFlow("b.xml");
        var closed = $"http://127.0.0.1:{LoopbackPort.Free()}/AssistanceRecord.svc";

        var down = await CliProcess.RunAsync(CliProcess.ClientDll, _work, SubmitArgs(closed, "--retries", "1", "--parallel", "1"), TimeSpan.FromSeconds(120));

        Assert.Multiple(() =>
        {
            Assert.That(down.ExitCode, Is.EqualTo(4), down.ToString());
            Assert.That(StatusOf(down, "a.xml"), Is.EqualTo("failed (unreachable)"), down.ToString());
            Assert.That(down.StdOut, Does.Contain("retry 1 in"), "the call was retried\n" + down);
            Assert.That(down.StdOut, Does.Contain("not tried: the register was unreachable"), "the second file is not tried\n" + down);
        });
        var journaled = new SubmissionJournal(Folder).Find("a.xml")!.IdMessaggio;

        var up = await SubmitFolder();

        Assert.Multiple(() =>
        {
            Assert.That(up.ExitCode, Is.EqualTo(0), up.ToString());
            Assert.That(up.StdOut, Does.Contain("2 file(s): 2 sent"), up.ToString());
            Assert.That(SavedReceipt("a.xml").IdMessaggio, Is.EqualTo(journaled), "the message journaled before the failure was the one sent");
        });
    }

    [Test]
    public async Task A_rate_limited_body_is_retried_after_the_wait_the_register_asks_for()
    {
        await using var limited = await RunningRegister.StartAsync(new Dictionary<string, string>
        {
            ["Siuss:Limits:SubmissionsPerSecondPerBody"] = "2",
            ["Siuss:Limits:SubmissionBurstPerBody"] = "1",
        });
        await limited.RegisterAgencyAsync("H501", _roma);
        File.WriteAllText(Path.Combine(_work, "register.pem"), (await limited.DownloadReceiptCertificateAsync()).ExportCertificatePem());
        for (var i = 1; i <= 4; i++) WriteFlow($"flow-{i}.xml");

        var run = await CliProcess.RunAsync(CliProcess.ClientDll, _work, SubmitArgs(limited.Endpoint.ToString(), "--parallel", "4"), TimeSpan.FromSeconds(120));

        Assert.Multiple(async () =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            Assert.That(run.StdOut, Does.Contain("SOAP fault RateLimited; retry"), run.ToString());
            Assert.That(run.StdOut, Does.Contain("4 file(s): 4 sent"), run.ToString());
            Assert.That(await limited.CountAsync("SELECT COUNT(*) FROM submissions WHERE esito = 'OK'"), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task A_folder_another_run_is_submitting_is_refused_with_exit_3()
    {
        var flow = WriteFlow("flow.xml");
        IDisposable held;
        using (held = new SubmissionJournal(Folder).Lock())
        {
            var run = await SubmitFolder();

            Assert.Multiple(async () =>
            {
                Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
                Assert.That(run.StdErr, Does.Contain("Another run is submitting this folder"), run.ToString());
                Assert.That(await Stored(flow.Nome), Is.EqualTo(0));
            });
        }

        var after = await SubmitFolder();
        Assert.That(after.ExitCode, Is.EqualTo(0), "the lock goes with the run that held it\n" + after);
    }

    [TestCase(new[] { "--folder", "flows", "--flow", "flows/x.xml" }, "exactly one of --flow", TestName = "Folder and flow together")]
    [TestCase(new[] { "--folder", "flows", "--trasmissione", "t.xml", "--ente", "H501" }, "--trasmissione goes with --flow", TestName = "Folder with a Trasmissione")]
    [TestCase(new[] { "--folder", "flows", "--out", "r.xml", "--ente", "H501" }, "--out goes with --flow", TestName = "Folder with --out")]
    [TestCase(new[] { "--folder", "flows" }, "--folder signs each file", TestName = "Folder without a signer")]
    [TestCase(new[] { "--folder", "missing", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem", "--register-cert", "register.pem" }, "does not exist", TestName = "Missing folder")]
    [TestCase(new[] { "--folder", "flows", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem", "--parallel", "0" }, "--parallel must be", TestName = "Folder with parallel 0")]
    public async Task Folder_usage_errors_exit_3(string[] args, string message)
    {
        var result = await CliProcess.RunAsync(CliProcess.ClientDll, _work, ["submit", "--url", Url, .. args]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), result.ToString());
            Assert.That(result.StdErr, Does.Contain(message), result.ToString());
        });
    }

    /// <summary>siuss-client as a process that can be SIGKILLed (no shutdown hooks, no flush), its output collected.</summary>
    private sealed class KillableClient : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        public KillableClient(string workingDirectory, IEnumerable<string> args)
        {
            _process = new Process { StartInfo = CliProcess.StartInfo(CliProcess.ClientDll, workingDirectory, args) };
            _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public bool HasExited => _process.HasExited;
        public string Output { get { lock (_output) return _output.ToString(); } }

        /// <summary>SIGKILL on Unix (Process.Kill), and wait for it to be gone.</summary>
        public void Kill()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }

        public void Dispose()
        {
            Kill();
            _process.Dispose();
        }
    }
}
