using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Siuss.Client;

namespace Siuss.Bench;

/// <summary>
/// Scenario 2: the real channel's shape - one beneficiary, one benefit per flow - from C concurrent
/// clients for a fixed time, against a no-op SOAP operation on the same host (the framework floor).
/// </summary>
public static class Cooperative
{
    /// <summary>A pre-signed submission: the envelope bytes only, so the driver spends no CPU signing while measuring.</summary>
    private static byte[] NewSubmission(X509Certificate2 body)
    {
        var flow = Flows.Build("H501", Flows.NewName("H501"), 1);
        return Soap.SubmitFlow(SignedDocuments.SignTrasmissione(flow, "H501", BatchIngest.NameOf(flow), body), flow);
    }

    /// <summary>Signs <paramref name="count"/> submissions on all cores.</summary>
    public static byte[][] Pool(X509Certificate2 body, int count)
    {
        var pool = new byte[count][];
        Parallel.For(0, count, i => pool[i] = NewSubmission(body));
        return pool;
    }

    public static async Task RunAsync(Report report, Options options, X509Certificate2 body)
    {
        var section = report.Add("cooperative", "2. Cooperative traffic: one-beneficiary-one-benefit flows from concurrent clients");
        var duration = options.LoadDuration;
        section.Intro.Add($"C clients in closed loop (each sends its next request when the last is answered) for {duration.TotalSeconds:F0} s, " +
            "or until the pool of flows signed before the clock started runs out. Every flow is new (own IdMessaggio, name and natural key), " +
            "its Trasmissione RSA-2048 signed by the body and verified by the register; every receipt is signed by the register " +
            "(its generated ECDSA P-256 key) and its Esito checked by the driver. Framework floor: `/Noop.svc`, a SoapCore operation with " +
            "SubmitFlow's message shape, hosted for the benchmark only in the same process behind the same middleware, " +
            "sent the same bytes by the same client, at the same concurrency, for the same time. The driver is a separate process (one `HttpClient`, one connection per client).");

        await using var register = await ChildRegister.StartAsync([("H501", "H501", body)], ReceiptSize(body));
        var probe = Pool(body, 1)[0];
        var noopEnvelope = Soap.Envelope("Noop", NoopService.Namespace, ExtractParts(probe));

        // Warm-up by count, which also estimates the rate to size the signed pools. Tiered JIT and PGO keep
        // recompiling the register's hot paths for the first several thousand flows (measured: ~0.9 ms of JIT
        // CPU per flow early on), so a short warm-up would measure the JIT, not the register.
        using (var http = Soap.NewClient(16))
        {
            await RunNoop(http, register, noopEnvelope, 16, TimeSpan.FromSeconds(2));
            var warmPool = Pool(body, options.Quick ? 600 : 8_000);
            var warm = await RunSubmit(http, register, warmPool, 16, TimeSpan.FromSeconds(60));
            _estimatedRate = Math.Max(200, warm.PerSecond);
            await VerifySomeReceipts(http, register, body);
        }

        foreach (int clients in options.ClientCounts)
        {
            using var http = Soap.NewClient(clients);
            // Size the pool for 3x the best rate seen so far over the whole duration (more clients can go faster than
            // the 16 of the warm-up; the run stops early, and says so, if the pool is used up anyway).
            int poolSize = (int)Math.Clamp(_estimatedRate * 3 * duration.TotalSeconds, 500, 60_000);
            var pool = Pool(body, poolSize);
            Phases.Mark($"noop-{clients}");
            var noop = await RunNoop(http, register, noopEnvelope, clients, duration);
            Phases.Mark($"submit-{clients}");
            var gcBefore = await register.GcStatsAsync();
            var cpu = CpuClock.Start(register.Pid);
            var flows = await RunSubmit(http, register, pool, clients, duration);
            var (registerCpu, driverCpu) = cpu.Stop();
            var gc = await register.GcStatsAsync() - gcBefore;
            Phases.Mark($"submit-{clients}-end");
            double perFlow(TimeSpan t) => flows.Completed == 0 ? 0 : t.TotalMicroseconds / flows.Completed;
            _estimatedRate = Math.Max(_estimatedRate, flows.PerSecond);

            section.Row(("clients", clients), ("seconds", flows.Seconds), ("flows OK", flows.Completed), ("failed", flows.Failed),
                ("flows/s", flows.PerSecond), ("p50 ms", flows.P50Ms), ("p99 ms", flows.P99Ms), ("max ms", flows.MaxMs),
                ("no-op req/s", noop.PerSecond), ("no-op p50 ms", noop.P50Ms), ("no-op p99 ms", noop.P99Ms),
                ("ratio to framework floor", flows.PerSecond / noop.PerSecond),
                ("register CPU µs/flow", perFlow(registerCpu)), ("driver CPU µs/flow", perFlow(driverCpu)),
                ("register KB allocated/flow", flows.Completed == 0 ? 0 : gc.AllocatedBytes / 1024.0 / flows.Completed),
                ("register gen0/gen1/gen2 GCs", $"{gc.Gen0}/{gc.Gen1}/{gc.Gen2}"),
                ("register GC pause ms", gc.Paused.TotalMilliseconds),
                ("pool used up", flows.PoolExhausted));
            if (flows.Failed > 0)
                section.Notes.Add($"{clients} clients: outcomes " + string.Join(", ", flows.Outcomes.Select(kv => $"{kv.Key}={kv.Value}")));
            if (clients == 64)
                report.Targets.Add(new Target("Cooperative, 64 clients", ">= 1,500 flows/s with p99 < 50 ms",
                    $"{flows.PerSecond:N0} flows/s, p99 {flows.P99Ms:F1} ms", flows.PerSecond >= 1_500 && flows.P99Ms < 50 && flows.Failed == 0));
        }
        section.Notes.Add("ratio = flows/s / no-op requests/s at the same concurrency.");
        section.Notes.Add("CPU µs/flow: user+system CPU time each process used during the run, per flow answered (the register's includes its HTTP server and background work). " +
            "KB allocated/flow and GC counts: the register's managed allocations and collections over the run (GC.GetTotalAllocatedBytes, GC.CollectionCount), a figure machine noise does not move; GC pause ms: the time the register's threads were stopped for collections over the run (GC.GetTotalPauseDuration).");
        await register.DisposeAsync();
        await StageCosts.RunAsync(report, options, body);
        section.Notes.Add("Driver and register share the machine's cores, for the product and the floor alike.");
    }

    private static double _estimatedRate = 500;

    private static int ReceiptSize(X509Certificate2 body) => 2_400;

    private static (string, byte[])[] ExtractParts(byte[] submitEnvelope)
    {
        // Recover the two base64 parts of a SubmitFlow envelope, so the no-op gets the very same payload.
        var text = System.Text.Encoding.UTF8.GetString(submitEnvelope);
        byte[] Part(string name)
        {
            int a = text.IndexOf($"<{name}>", StringComparison.Ordinal) + name.Length + 2;
            int b = text.IndexOf($"</{name}>", a, StringComparison.Ordinal);
            return Convert.FromBase64String(text[a..b]);
        }
        return [("Trasmissione", Part("Trasmissione")), ("Flusso", Part("Flusso"))];
    }

    public static Task<LoadResult> RunNoop(HttpClient http, ChildRegister register, byte[] envelope, int clients, TimeSpan duration) =>
        Load.RunAsync(clients, duration, _ => (true, async () =>
        {
            var answer = await Soap.PostAsync(http, register.NoopEndpoint, Soap.NoopAction, envelope);
            return answer.IsFault || answer.Result is null ? "FAULT " + answer.FaultCode : "OK";
        }));

    public static Task<LoadResult> RunSubmit(HttpClient http, ChildRegister register, byte[][] pool, int clients, TimeSpan duration) =>
        Load.RunAsync(clients, duration, i => i < pool.Length
            ? (true, async () => (await Soap.PostAsync(http, register.Endpoint, Soap.SubmitAction, pool[i])).Esito)
            : (false, null!));

    /// <summary>Outside the clock: a few receipts are verified against the register's published certificate.</summary>
    private static async Task VerifySomeReceipts(HttpClient http, ChildRegister register, X509Certificate2 body)
    {
        var pem = await http.GetStringAsync(new Uri(register.BaseAddress, "receipt-certificate.pem"));
        using var registerCertificate = X509Certificate2.CreateFromPem(pem);
        foreach (var envelope in Pool(body, 3))
        {
            var answer = await Soap.PostAsync(http, register.Endpoint, Soap.SubmitAction, envelope);
            var verified = ReceiptVerifier.Verify(answer.Result!, registerCertificate);
            if (verified.Ricevuta.Esito != "OK") throw new InvalidOperationException("receipt " + verified.Ricevuta.Esito);
        }
    }
}
