using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Siuss.Bench;

/// <summary>Signing certificates made in the run, as a paying body's PKI would issue them.</summary>
public static class Certificates
{
    /// <summary>A self-signed RSA-2048 certificate with its private key (paying bodies sign with RSA smart cards).</summary>
    public static X509Certificate2 Rsa(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-30), now.AddYears(2));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}

/// <summary>Latency samples and throughput of a timed run.</summary>
public static class Stats
{
    public static double Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        var rank = p / 100.0 * (sorted.Count - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    public static double Median(IEnumerable<double> values)
    {
        var list = values.Order().ToList();
        return Percentile(list, 50);
    }

    /// <summary>Runs <paramref name="action"/> <paramref name="repeat"/> times and returns the median seconds.</summary>
    public static double MedianSeconds(int repeat, Action action)
    {
        var times = new List<double>();
        for (int i = 0; i < repeat; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        return Median(times);
    }
}

/// <summary>The result of a closed-loop load run: N clients, each sending its next request when the last is answered.</summary>
public sealed record LoadResult(int Clients, int Completed, int Failed, double Seconds, double P50Ms, double P99Ms, double MaxMs, bool PoolExhausted,
    IReadOnlyDictionary<string, int> Outcomes)
{
    public double PerSecond => Completed / Seconds;
}

public static class Load
{
    /// <summary>
    /// Runs <paramref name="clients"/> concurrent loops for <paramref name="duration"/>, or until
    /// <paramref name="next"/> has no more requests. Each call returns an outcome label ("OK" counts as success).
    /// </summary>
    public static async Task<LoadResult> RunAsync(int clients, TimeSpan duration, Func<int, (bool Has, Func<Task<string>> Call)> next)
    {
        var latencies = new List<double>[clients];
        var outcomes = new Dictionary<string, int>[clients];
        int index = -1;
        bool exhausted = false;
        var clock = Stopwatch.StartNew();
        var deadline = duration;
        var workers = Enumerable.Range(0, clients).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(4096);
            var counts = outcomes[w] = new Dictionary<string, int>();
            while (clock.Elapsed < deadline)
            {
                var (has, call) = next(Interlocked.Increment(ref index));
                if (!has) { exhausted = true; break; }
                long start = Stopwatch.GetTimestamp();
                string outcome;
                try { outcome = await call(); }
                catch (Exception e) { outcome = "EXCEPTION " + e.GetType().Name; }
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        var merged = new Dictionary<string, int>();
        foreach (var c in outcomes) foreach (var (k, v) in c) merged[k] = merged.GetValueOrDefault(k) + v;
        int ok = merged.GetValueOrDefault("OK");
        return new LoadResult(clients, ok, all.Count - ok, seconds,
            Stats.Percentile(all, 50), Stats.Percentile(all, 99), all.Count > 0 ? all[^1] : double.NaN, exhausted, merged);
    }
}

/// <summary>User+system CPU time of the register process and of this driver over an interval.</summary>
public sealed class CpuClock
{
    private readonly int _registerPid;
    private readonly TimeSpan _register0;
    private readonly TimeSpan _driver0;

    private CpuClock(int registerPid)
    {
        _registerPid = registerPid;
        _register0 = Of(registerPid);
        _driver0 = Of(Environment.ProcessId);
    }

    /// <summary>Starts measuring now.</summary>
    public static CpuClock Start(int registerPid) => new(registerPid);

    /// <summary>The CPU time each process used since <see cref="Start"/>.</summary>
    public (TimeSpan Register, TimeSpan Driver) Stop() => (Of(_registerPid) - _register0, Of(Environment.ProcessId) - _driver0);

    private static TimeSpan Of(int pid)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }
}
