using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;

namespace Siuss.Bench;

/// <summary>A register running as a child process of the driver (this program in 'serve' mode), on loopback.</summary>
public sealed class ChildRegister : IAsyncDisposable
{
    private readonly Process _process;

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public int Pid => _process.Id;
    public string GcInfo { get; }
    public Uri Endpoint => new(BaseAddress, "AssistanceRecord.svc");
    public Uri NoopEndpoint => new(BaseAddress, Serve.NoopPath.TrimStart('/'));
    public Uri DrainEndpoint => new(BaseAddress, Serve.DrainPath.TrimStart('/'));
    public string DatabasePath => Path.Combine(DataDirectory, "siuss.db");

    private ChildRegister(Process process, Uri baseAddress, string dataDirectory, string gcInfo)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        GcInfo = gcInfo;
    }

    /// <summary>Starts a register in a fresh data folder with the given bodies registered (code, belfiore, certificate).</summary>
    public static async Task<ChildRegister> StartAsync(IEnumerable<(string Code, string Belfiore, X509Certificate2 Certificate)> agencies,
        int noopResponseBytes, IEnumerable<string>? settings = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("siuss-bench-").FullName;
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.FileName = self;
            start.ArgumentList.Add(typeof(ChildRegister).Assembly.Location);
        }
        else start.FileName = self;
        foreach (var a in new[] { "serve", "--data", dataDirectory, "--noop-response-bytes", noopResponseBytes.ToString() })
            start.ArgumentList.Add(a);
        int n = 0;
        foreach (var (code, belfiore, certificate) in agencies)
        {
            var pem = Path.Combine(dataDirectory, $"agency-{n++}.pem");
            await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
            start.ArgumentList.Add($"--agency={code},{belfiore},{pem}");
        }
        foreach (var s in settings ?? []) start.ArgumentList.Add(s);
        // Siuss.Host runs with the server GC (Web SDK default); so does the register under test.
        start.Environment["DOTNET_gcServer"] = Environment.GetEnvironmentVariable("SIUSS_BENCH_CHILD_GCSERVER") ?? "1";
        // Steady state sooner: tier-up without the call-counting delay (the steady-state code is the same).
        start.Environment["DOTNET_TC_CallCountingDelayMs"] = "0";
        start.Environment.Remove("ASPNETCORE_URLS");

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the register");
        var stderr = new StringBuilder();
        var lines = Channel.CreateUnbounded<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Writer.TryWrite(e.Data); else lines.Writer.TryComplete(); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = await lines.Reader.ReadAsync(timeout.Token);
                if (!line.StartsWith("READY ", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ');
                var child = new ChildRegister(process, new Uri(parts[1].TrimEnd('/') + "/"), dataDirectory, string.Join(' ', parts[2..]));
                child.Adopt(lines, stderr);
                return child;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            try { process.Kill(true); } catch (InvalidOperationException) { }
            throw new InvalidOperationException("The register did not start:\n" + stderr);
        }
    }

    private Channel<string>? _adopted;
    private StringBuilder? _adoptedErr;
    private void Adopt(Channel<string> lines, StringBuilder stderr) { _adopted = lines; _adoptedErr = stderr; }

    /// <summary>Asks the child for a full compacting GC (before taking a memory baseline).</summary>
    public async Task CollectAsync()
    {
        await _process.StandardInput.WriteLineAsync("gc");
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _adopted!.Reader.ReadAsync(timeout.Token) != "OK gc") { }
    }

    /// <summary>The child's managed allocations so far, its GC counts and the time its threads were paused for collections.</summary>
    public async Task<GcStats> GcStatsAsync()
    {
        await _process.StandardInput.WriteLineAsync("stats");
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string line;
        while (!(line = await _adopted!.Reader.ReadAsync(timeout.Token)).StartsWith("STATS ", StringComparison.Ordinal)) { }
        var v = line.Split(' ')[1..].Select(long.Parse).ToArray();
        return new GcStats(v[0], v[1], v[2], v[3], TimeSpan.FromMicroseconds(v[4]));
    }

    /// <summary>The child's resident set (VmRSS) and peak resident set since the last reset (VmHWM), in bytes.</summary>
    public (long Rss, long Peak) Memory() => ProcMemory.Read(Pid);

    /// <summary>Resets the child's peak resident set (Linux clear_refs 5); false where the kernel refuses.</summary>
    public bool ResetPeak() => ProcMemory.ResetPeak(Pid);

    public string Stderr { get { lock (_adoptedErr!) return _adoptedErr.ToString(); } }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        _process.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Reads /proc/PID/status (Linux); elsewhere falls back to <see cref="Process"/>.</summary>
public static class ProcMemory
{
    public static (long Rss, long Peak) Read(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            using var p = Process.GetProcessById(pid);
            return (p.WorkingSet64, p.PeakWorkingSet64);
        }
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kb(line);
        }
        return (rss, hwm);
    }

    public static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            var (rss, peak) = Read(pid);
            return peak <= rss + 4 * 1024 * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static long Kb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
}

/// <summary>Managed allocations, collections and pause time of a process, as GC.GetTotalAllocatedBytes, GC.CollectionCount and GC.GetTotalPauseDuration report them.</summary>
public readonly record struct GcStats(long AllocatedBytes, long Gen0, long Gen1, long Gen2, TimeSpan Paused)
{
    public static GcStats operator -(GcStats a, GcStats b) =>
        new(a.AllocatedBytes - b.AllocatedBytes, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Paused - b.Paused);
}
