using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using Dapper;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Service.Storage;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>
/// Three register processes on one PostgreSQL database with one receipt key, as behind a load balancer: whatever
/// host a request reaches and however requests race, the database settles it (one stored copy, one acquired name,
/// one winning cancellation, a receipt list in commit order), and a host killed under load loses nothing it answered.
/// </summary>
[NonParallelizable]
public sealed class MultiHostTests
{
    private const int Hosts = 3;
    private string _work = null!;
    private Dictionary<string, string> _settings = null!;
    private readonly List<HostProcess> _hosts = [];
    private Database _database = null!;
    private X509Certificate2 _roma = null!;
    private X509Certificate2 _receiptCertificate = null!;

    [OneTimeSetUp]
    public async Task StartHostsAsync()
    {
        _work = Directory.CreateTempSubdirectory("siuss-multihost-").FullName;
        _settings = new Dictionary<string, string>(TestDatabases.Settings(TestDatabases.PostgreSql));

        // One receipt key for every host, as a deployment gives them (a generated key would differ per host).
        _receiptCertificate = TestCertificates.Ecdsa("CN=SIUSS register, O=INPS");
        File.WriteAllText(Path.Combine(_work, "receipt.pem"), _receiptCertificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_work, "receipt-key.pem"), _receiptCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        _settings["Siuss:ReceiptSigning:CertificatePath"] = Path.Combine(_work, "receipt.pem");
        _settings["Siuss:ReceiptSigning:KeyPath"] = Path.Combine(_work, "receipt-key.pem");

        // `migrate` once before the hosts, then the operator registers the body once, for all of them.
        var environment = TestDatabases.Environment(_settings);
        var migrate = await CliProcess.RunAsync(CliProcess.HostDll, _work, ["migrate"], environment: environment);
        Assert.That(migrate.ExitCode, Is.EqualTo(0), migrate.ToString());
        Assert.That(migrate.ToString(), Does.Not.Contain("Host="), "the connection string (a password in production) is never printed");
        _roma = TestCertificates.Rsa();
        TestCertificates.WritePem(_roma, _work);
        var add = await CliProcess.RunAsync(CliProcess.HostDll, _work,
            ["agency", "add", "--code", "H501", "--name", "Comune di Roma", "--belfiore", "H501", "--cert", "body.pem"], environment: environment);
        Assert.That(add.ExitCode, Is.EqualTo(0), add.ToString());

        for (int i = 0; i < Hosts; i++)
            _hosts.Add(new HostProcess(Directory.CreateDirectory(Path.Combine(_work, "host" + i)).FullName) { Settings = _settings });
        await Task.WhenAll(_hosts.Select(h => h.StartAsync()));
        _database = TestDatabases.Attach(_settings, _work);

        foreach (var host in _hosts)
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            Assert.That(X509Certificate2.CreateFromPem(await http.GetStringAsync("receipt-certificate.pem")).Thumbprint,
                Is.EqualTo(_receiptCertificate.Thumbprint), "every host signs with the one receipt key");
        }
    }

    [OneTimeTearDown]
    public async Task StopHostsAsync()
    {
        foreach (var host in _hosts) host.Dispose();
        if (_database is not null) await _database.DisposeAsync();
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    private sealed record Sent(string Nome, string IdMessaggio, byte[] Trasmissione, byte[] Flow);

    private Sent Sign(FlowBuilder flow)
    {
        var bytes = flow.ToBytes();
        var id = Guid.NewGuid();
        return new Sent(flow.Nome, id.ToString(), SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, _roma, idMessaggio: id), bytes);
    }

    private static async Task<byte[]> SubmitAsync(HostProcess host, Sent sent)
    {
        await using var client = new RegisterClient(host.Endpoint, TimeSpan.FromSeconds(60));
        return await client.SubmitAsync(sent.Trasmissione, sent.Flow);
    }

    private Ricevuta Verify(byte[] raw) => ReceiptVerifier.Verify(raw, _receiptCertificate).Ricevuta;

    private async Task<long> CountAsync(string sql, object parameters)
    {
        await using var connection = await _database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    private Task<long> AcquiredAsync(string nome) =>
        CountAsync("SELECT COUNT(*) FROM submissions WHERE nome_flusso = @nome AND esito = 'OK'", new { nome });

    private Task<long> RecordsAsync(string nome) => CountAsync(
        "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @nome", new { nome });

    [Test]
    public async Task The_same_Trasmissione_sent_to_all_three_hosts_at_once_is_stored_once_and_answered_with_one_receipt()
    {
        for (int round = 0; round < 5; round++)
        {
            var sent = Sign(new FlowBuilder().Beneficiario().Beneficiario());
            var answers = await Task.WhenAll(_hosts.Select(h => Task.Run(() => SubmitAsync(h, sent))));

            Assert.That(Verify(answers[0]).Esito, Is.EqualTo(Esiti.Ok));
            Assert.That(answers, Is.All.EqualTo(answers[0]), "byte-identical receipts from every host");
            Assert.That(await CountAsync("SELECT COUNT(*) FROM submissions WHERE id_messaggio = @id", new { id = sent.IdMessaggio }), Is.EqualTo(1));
            Assert.That(await RecordsAsync(sent.Nome), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Two_flows_with_one_NomeFlusso_on_two_hosts_at_once_one_is_acquired_and_the_other_refused()
    {
        for (int round = 0; round < 5; round++)
        {
            var nome = FlowBuilder.NewName();
            var first = Sign(new FlowBuilder(nome: nome).Beneficiario());
            var second = Sign(new FlowBuilder(nome: nome).Beneficiario().Beneficiario());
            var answers = (await Task.WhenAll(
                Task.Run(() => SubmitAsync(_hosts[0], first)), Task.Run(() => SubmitAsync(_hosts[1], second)))).Select(Verify).ToList();

            Assert.That(answers.Count(a => a.Esito == Esiti.Ok), Is.EqualTo(1), string.Join(", ", answers.Select(a => a.Esito)));
            var refused = answers.Single(a => a.Esito != Esiti.Ok);
            Assert.That(refused.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
            Assert.That(refused.ErroriFlusso.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.FlowNameAlreadyAcquired }));
            Assert.That(await AcquiredAsync(nome), Is.EqualTo(1));
            var winnerRecords = answers.Single(a => a.Esito == Esiti.Ok).IdMessaggio == first.IdMessaggio ? 1 : 2;
            Assert.That(await RecordsAsync(nome), Is.EqualTo(winnerRecords), "only the acquired flow's records");
        }
    }

    [Test]
    public async Task Conflicting_cancellations_on_two_hosts_at_once_have_one_winner()
    {
        for (int round = 0; round < 5; round++)
        {
            var insert = new FlowBuilder().Beneficiario(b => b.CodiceFiscale = "BNCGVN70A01H501H");
            var original = new Dictionary<string, string?>(insert.ToBeneficiaryPrestazione(0));
            Assert.That(Verify(await SubmitAsync(_hosts[2], Sign(insert))).Esito, Is.EqualTo(Esiti.Ok));
            FlowBuilder Cancel() => new FlowBuilder().Beneficiario(b =>
            {
                b.CodiceFiscale = "BNCGVN70A01H501H";
                b.Prestazioni[0] = new Dictionary<string, string?>(original) { ["TipoOperazione"] = "C" };
            });
            var (a, b) = (Sign(Cancel()), Sign(Cancel()));

            var answers = (await Task.WhenAll(Task.Run(() => SubmitAsync(_hosts[0], a)), Task.Run(() => SubmitAsync(_hosts[1], b)))).Select(Verify).ToList();

            Assert.That(answers.Select(x => x.Esito), Is.EquivalentTo(new[] { Esiti.Ok, Esiti.DatiNonTrovati }));
            Assert.That(answers.Single(x => x.Esito == Esiti.DatiNonTrovati).EsitiRecord.Single().Errori.Single().Codice, Is.EqualTo(RuleCodes.RecordNotFound));
            Assert.That(await CountAsync(
                "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @nome AND r.status = 'C' " +
                "AND r.cancelled_by_submission_id IS NOT NULL", new { nome = insert.Nome }), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_receipt_list_job_paging_from_its_last_cursor_while_three_hosts_write_sees_every_receipt_exactly_once()
    {
        const int Flows = 2000;
        const int Writers = 6;
        var sent = new ConcurrentDictionary<string, string>(); // IdMessaggio -> Esito
        int next = 0;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            // A client per host, kept for the writer's flows (a channel factory per request costs more than the flow).
            var clients = _hosts.Select(h => new RegisterClient(h.Endpoint, TimeSpan.FromSeconds(60))).ToList();
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) <= Flows)
                {
                    // One in ten refused: the list carries refused flows' receipts too.
                    var flow = Sign(new FlowBuilder().Beneficiario(b => { if (i % 10 == 0) b.Prestazione["ImportoPrestazione"] = "-5"; }));
                    var receipt = Verify(await clients[i % Hosts].SubmitAsync(flow.Trasmissione, flow.Flow));
                    sent[flow.IdMessaggio] = receipt.Esito;
                }
            }
            finally
            {
                foreach (var client in clients) await client.DisposeAsync();
            }
        })).ToList();
        var allWritten = Task.WhenAll(writers);

        // The job: pages of 100 from the last cursor it processed, asking each host in turn, until the writers are done
        // and a page after that says nothing more follows.
        var seen = new List<VoceRicevuta>();
        long since = await CountAsync("SELECT COALESCE(MAX(receipt_cursor), 0) FROM submissions WHERE agency_code = @a", new { a = "H501" });
        int pages = 0;
        while (true)
        {
            var finished = allWritten.IsCompleted;
            ElencoRicevute page;
            do
            {
                await using var client = new RegisterClient(_hosts[pages++ % Hosts].Endpoint, TimeSpan.FromSeconds(60));
                page = ReceiptVerifier.VerifyDocument<ElencoRicevute>(
                    await client.ListReceiptsAsync(SignedDocuments.SignListReceipts("H501", _roma, since, 100)), _receiptCertificate);
                seen.AddRange(page.Ricevute);
                since = page.ProssimoCursore;
            }
            while (page.AltreRicevute);
            if (finished) break;
            await Task.WhenAny(allWritten, Task.Delay(20));
        }
        await allWritten;

        Assert.That(sent, Has.Count.EqualTo(Flows));
        Assert.That(sent.Values.Count(e => e == Esiti.RichiestaInvalida), Is.EqualTo(Flows / 10));
        Assert.That(seen.Select(v => v.Cursore), Is.Ordered.Ascending.And.Unique, "cursors only grow");
        Assert.That(seen.Select(v => v.IdMessaggio), Is.Unique, "no receipt twice");
        Assert.That(seen.Select(v => v.IdMessaggio), Is.EquivalentTo(sent.Keys), "every receipt, none missing");
        TestContext.Out.WriteLine($"receipt list across {Hosts} hosts: {Flows} flows by {Writers} writers, {pages} pages, {seen.Count} receipts seen once each");
    }

    [Test]
    public async Task A_host_killed_under_load_loses_no_acknowledged_flow_leaves_none_partial_and_resending_stores_each_once()
    {
        const int Clients = 6;
        const int FlowsPerClient = 40;
        const int RecordsPerFlow = 3;
        var flows = Enumerable.Range(0, Clients * FlowsPerClient).Select(_ =>
        {
            var flow = new FlowBuilder();
            for (int r = 0; r < RecordsPerFlow; r++) flow.Beneficiario();
            return Sign(flow);
        }).ToList();
        var victim = _hosts[1];
        var receipts = new ConcurrentDictionary<string, byte[]>();
        int cut = 0;

        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            int n = 0;
            foreach (var flow in flows.Skip(c * FlowsPerClient).Take(FlowsPerClient))
            {
                try { receipts[flow.Nome] = await SubmitAsync(_hosts[(c + n++) % Hosts], flow); }
                catch (Exception e) when (e is CommunicationException or TimeoutException or InvalidOperationException)
                {
                    Interlocked.Increment(ref cut); // the host died under it: outcome unknown until resent
                }
            }
        })).ToList();
        await Task.Delay(Random.Shared.Next(300, 1200));
        victim.Kill();
        await Task.WhenAll(clients);

        var acknowledged = receipts.Where(r => Verify(r.Value).Esito == Esiti.Ok).Select(r => r.Key).ToHashSet();
        foreach (var flow in flows)
        {
            var (acquired, records) = (await AcquiredAsync(flow.Nome), await RecordsAsync(flow.Nome));
            Assert.That(acquired, Is.LessThanOrEqualTo(1), flow.Nome);
            Assert.That(records, Is.EqualTo(acquired * RecordsPerFlow), $"{flow.Nome}: never partial");
            if (acknowledged.Contains(flow.Nome)) Assert.That(acquired, Is.EqualTo(1), $"{flow.Nome}: its receipt said OK");
        }

        // The killed host comes back; everything is sent again, spread over the three.
        await victim.StartAsync();
        int i = 0;
        await Parallel.ForEachAsync(flows, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (flow, _) =>
        {
            var raw = await SubmitAsync(_hosts[Interlocked.Increment(ref i) % Hosts], flow);
            Assert.That(Verify(raw).Esito, Is.EqualTo(Esiti.Ok), flow.Nome);
            if (acknowledged.Contains(flow.Nome)) Assert.That(raw, Is.EqualTo(receipts[flow.Nome]), $"{flow.Nome}: the same receipt again");
        });
        foreach (var flow in flows)
        {
            Assert.That(await AcquiredAsync(flow.Nome), Is.EqualTo(1), flow.Nome);
            Assert.That(await RecordsAsync(flow.Nome), Is.EqualTo(RecordsPerFlow), flow.Nome);
        }
        TestContext.Out.WriteLine(
            $"multi-host kill: {flows.Count} flows by {Clients} clients over {Hosts} hosts, 1 SIGKILL, {acknowledged.Count} acknowledged before it, " +
            $"{cut} requests cut, every flow stored once after resending");
    }
}
