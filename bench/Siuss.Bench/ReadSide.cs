using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Siuss.Client;

namespace Siuss.Bench;

/// <summary>
/// Scenario 4: the read side that exists today - GetReceipt (a signed Richiesta verified, the stored
/// signed receipt returned) - against a raw SELECT of the same receipt rows. ListReceipts and
/// ReconcileRecords are scenario 4b (<see cref="ReadSidePaging"/>).
/// </summary>
public static class ReadSide
{
    public static async Task RunAsync(Report report, Options options, X509Certificate2 body)
    {
        var section = report.Add("read_side", "4. Read side: GetReceipt against a raw SELECT of the same rows");
        int clients = options.ReadClients;
        var duration = options.LoadDuration;
        int stored = options.Quick ? 600 : 3_000;
        section.Intro.Add($"The register first acquires {stored:N0} one-record flows; then {clients} clients ask for their receipts by " +
            "IdMessaggio with GetReceipt for the fixed time, each request a fresh signed Richiesta (RSA-2048, signed before the clock starts), " +
            "verified by the register, which records the query's IdMessaggio (replay protection) and returns the stored signed receipt. " +
            $"Floor: the same receipt rows read by {clients} threads straight from the register's SQLite file with a prepared " +
            "`SELECT ricevuta FROM submissions WHERE agency_code = $a AND id_messaggio = $m` (own connection each), for the same time. " +
            "The no-op SOAP operation with the same request bytes is shown as the framework floor.");

        await using var register = await ChildRegister.StartAsync([("H501", "H501", body)], 2_400);
        using var http = Soap.NewClient(clients);

        // Populate.
        var ids = new string[stored];
        var submissions = new byte[stored][];
        Parallel.For(0, stored, i =>
        {
            var id = Guid.NewGuid();
            ids[i] = id.ToString();
            var flow = Flows.Build("H501", Flows.NewName("H501"), 1);
            submissions[i] = Soap.SubmitFlow(SignedDocuments.SignTrasmissione(flow, "H501", BatchIngest.NameOf(flow), body, idMessaggio: id), flow);
        });
        var populate = await Cooperative.RunSubmit(http, register, submissions, clients, TimeSpan.FromMinutes(5));
        if (populate.Completed != stored) throw new InvalidOperationException($"populating: {populate.Completed} of {stored} acquired");

        byte[][] Requests(int count)
        {
            var pool = new byte[count][];
            Parallel.For(0, count, i => pool[i] = Soap.GetReceipt(
                SignedDocuments.SignGetReceipt("H501", body, idMessaggioTrasmissione: ids[Random.Shared.Next(ids.Length)])));
            return pool;
        }

        // Warm up, estimating the rate to size the pool of signed requests.
        var warm = await RunGetReceipt(http, register, Requests(options.Quick ? 600 : 1_500), clients, TimeSpan.FromSeconds(30));
        int poolSize = (int)Math.Clamp(warm.PerSecond * 1.6 * duration.TotalSeconds, 500, 60_000);
        var requests = Requests(poolSize);
        var noopEnvelope = Soap.Noop(SignedDocuments.SignGetReceipt("H501", body, idMessaggioTrasmissione: ids[0]), []);
        var noop = await Cooperative.RunNoop(http, register, noopEnvelope, clients, duration);
        var reads = await RunGetReceipt(http, register, requests, clients, duration);
        var (selectRate, selectP50Us) = RawSelect(register.DatabasePath, ids, clients, duration);

        section.Row(("clients", clients), ("seconds", reads.Seconds), ("receipts", reads.Completed), ("failed", reads.Failed),
            ("GetReceipt/s", reads.PerSecond), ("p50 ms", reads.P50Ms), ("p99 ms", reads.P99Ms),
            ("raw SELECT rows/s", selectRate), ("ratio to raw SELECT", reads.PerSecond / selectRate),
            ("no-op req/s", noop.PerSecond), ("ratio to framework floor", reads.PerSecond / noop.PerSecond),
            ("pool used up", reads.PoolExhausted));
        if (reads.Failed > 0)
            section.Notes.Add("outcomes " + string.Join(", ", reads.Outcomes.Select(kv => $"{kv.Key}={kv.Value}")));
        section.Notes.Add($"Raw SELECT median latency {selectP50Us:F0} µs per row (one thread's view).");
    }

    private static Task<LoadResult> RunGetReceipt(HttpClient http, ChildRegister register, byte[][] pool, int clients, TimeSpan duration) =>
        Load.RunAsync(clients, duration, i => i < pool.Length
            ? (true, async () => (await Soap.PostAsync(http, register.Endpoint, Soap.GetReceiptAction, pool[i])).Esito)
            : (false, null!));

    private static (double RowsPerSecond, double P50Us) RawSelect(string databasePath, string[] ids, int threads, TimeSpan duration)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        long rows = 0;
        var medians = new System.Collections.Concurrent.ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            using var c = new SqliteConnection(connectionString);
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT ricevuta FROM submissions WHERE agency_code = $a AND id_messaggio = $m";
            var a = cmd.Parameters.AddWithValue("$a", "H501");
            var m = cmd.Parameters.AddWithValue("$m", ids[0]);
            cmd.Prepare();
            var random = new Random(t);
            var samples = new List<double>();
            long mine = 0;
            while (clock.Elapsed < duration)
            {
                m.Value = ids[random.Next(ids.Length)];
                long start = Stopwatch.GetTimestamp();
                var receipt = (byte[]?)cmd.ExecuteScalar();
                if (samples.Count < 100_000) samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                if (receipt is { Length: > 0 }) mine++;
            }
            Interlocked.Add(ref rows, mine);
            // A thread the pool started after the clock ran out has no samples; it has no median to give.
            if (samples.Count > 0) medians.Add(Stats.Median(samples));
        });
        return (rows / clock.Elapsed.TotalSeconds, Stats.Median(medians));
    }
}
