using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.Data.Sqlite;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Tests.Integration;
using Siuss.Tests.Support;

namespace Siuss.Tests.Hostile;

/// <summary>
/// The register as a real process, killed with SIGKILL while four clients submit: every flow whose receipt came
/// back is stored exactly once and whole, every other flow is absent or whole, and resending everything leaves
/// exactly one copy of each (with the very receipt already given for those acquired).
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
[NonParallelizable]
public sealed class CrashSafetyTests(string engine)
{
    private const int Clients = 4;
    private const int FlowsPerClient = 40;
    private const int RecordsPerFlow = 3;
    private const int Kills = 3;

    private sealed record Sent(string Nome, byte[] Trasmissione, byte[] Flow);

    [Test]
    public async Task Flows_survive_SIGKILL_at_random_moments_whole_or_not_at_all_and_resending_stores_each_once()
    {
        var work = Directory.CreateTempSubdirectory("siuss-crash-").FullName;
        var roma = TestCertificates.Rsa();
        TestCertificates.WritePem(roma, work);
        var settings = TestDatabases.Settings(engine);
        var add = await CliProcess.RunAsync(CliProcess.HostDll, work, ["agency", "add", "--code", "H501", "--name", "Comune di Roma", "--belfiore", "H501", "--cert", "body.pem"],
            environment: TestDatabases.Environment(settings));
        Assert.That(add.ExitCode, Is.EqualTo(0), add.ToString());

        var flows = Enumerable.Range(0, Clients * FlowsPerClient).Select(_ => NewFlow(roma)).ToList();
        using var host = new HostProcess(work) { Settings = settings };
        await using var db = TestDatabases.Attach(settings, Path.Combine(work, "data"));
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await host.StartAsync();
            var endpoint = host.Endpoint;
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            up.SetResult();
            var gate = up;
            var receipts = new ConcurrentDictionary<string, byte[]>();
            int failures = 0;

            // Phase 1: four clients, each its forty flows once; the killer cuts the process three times.
            var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
            {
                foreach (var flow in flows.Skip(c * FlowsPerClient).Take(FlowsPerClient))
                {
                    await Volatile.Read(ref gate).Task;
                    try
                    {
                        await using var client = new RegisterClient(Volatile.Read(ref endpoint), TimeSpan.FromSeconds(20));
                        receipts[flow.Nome] = await client.SubmitAsync(flow.Trasmissione, flow.Flow);
                    }
                    catch (Exception e) when (e is System.ServiceModel.CommunicationException or TimeoutException or InvalidOperationException)
                    {
                        Interlocked.Increment(ref failures); // outcome unknown: the process died under it
                    }
                }
            })).ToList();

            var random = new Random();
            int kills = 0;
            for (; kills < Kills && clients.Any(t => !t.IsCompleted); kills++)
            {
                await Task.Delay(random.Next(150, 900));
                var down = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref gate, down);
                host.Kill();
                await host.StartAsync();
                Volatile.Write(ref endpoint, host.Endpoint);
                down.SetResult();
            }
            await Task.WhenAll(clients);

            var verifier = await RegisterCertificateAsync(host);
            var acquiredBefore = receipts.Where(r => ReceiptVerifier.Verify(r.Value, verifier).Ricevuta.Esito == Esiti.Ok).Select(r => r.Key).ToHashSet();

            // Every flow with a receipt is there once and whole; every other flow is absent or whole.
            foreach (var flow in flows)
            {
                var (acquired, records) = await StateAsync(db, flow.Nome);
                Assert.That(acquired, Is.LessThanOrEqualTo(1), flow.Nome);
                Assert.That(records, Is.EqualTo(acquired * RecordsPerFlow), $"{flow.Nome}: never partial");
                if (acquiredBefore.Contains(flow.Nome)) Assert.That(acquired, Is.EqualTo(1), $"{flow.Nome}: its receipt said OK");
            }
            var storedAfterKills = flows.Count(f => StateAsync(db, f.Nome).Result.Acquired == 1);

            // Phase 2: resend everything; each flow ends stored once, the receipts already given come back unchanged.
            endpoint = host.Endpoint;
            await Parallel.ForEachAsync(flows, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (flow, _) =>
            {
                await using var client = new RegisterClient(endpoint, TimeSpan.FromSeconds(30));
                var raw = await client.SubmitAsync(flow.Trasmissione, flow.Flow);
                Assert.That(ReceiptVerifier.Verify(raw, verifier).Ricevuta.Esito, Is.EqualTo(Esiti.Ok), flow.Nome);
                if (acquiredBefore.Contains(flow.Nome))
                    Assert.That(raw, Is.EqualTo(receipts[flow.Nome]), $"{flow.Nome}: the same receipt again");
            });

            int lost = 0;
            foreach (var flow in flows)
            {
                var (acquired, records) = await StateAsync(db, flow.Nome);
                if (acquired != 1 || records != RecordsPerFlow) lost++;
            }
            await using (var connection = await db.OpenAsync())
            {
                Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM benefit_records"), Is.EqualTo(flows.Count * RecordsPerFlow));
                Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE esito = 'OK'"), Is.EqualTo(flows.Count));
            }
            Assert.That(lost, Is.Zero);
            TestContext.Out.WriteLine(
                $"crash safety: flows sent {flows.Count} ({flows.Count * RecordsPerFlow} records) by {Clients} clients, SIGKILLs {kills}, " +
                $"receipts OK before resending {acquiredBefore.Count}, requests cut {failures}, stored after the kills {storedAfterKills}, " +
                $"stored after resending {flows.Count - lost}, records lost {lost}, duplicates 0, {stopwatch.Elapsed.TotalSeconds:F0} s");
        }
        finally
        {
            host.Kill();
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static Sent NewFlow(X509Certificate2 signer)
    {
        var flow = new FlowBuilder();
        for (int i = 0; i < RecordsPerFlow; i++) flow.Beneficiario();
        var bytes = flow.ToBytes();
        return new Sent(flow.Nome, SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, signer), bytes);
    }

    private static async Task<X509Certificate2> RegisterCertificateAsync(HostProcess host)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        return X509Certificate2.CreateFromPem(await http.GetStringAsync("receipt-certificate.pem"));
    }

    /// <summary>Acquired submissions of the flow and the benefit records stored under any submission of it.</summary>
    private static async Task<(long Acquired, long Records)> StateAsync(Siuss.Service.Storage.Database db, string nome)
    {
        await using var connection = await db.OpenAsync();
        var acquired = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE nome_flusso = @nome AND esito = 'OK'", new { nome });
        var records = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @nome", new { nome });
        return (acquired, records);
    }
}
