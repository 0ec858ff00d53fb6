using System.Diagnostics;
using System.Net;
using System.Text;
using Siuss.Tests.Integration;

namespace Siuss.Tests.Support;

/// <summary>
/// <c>dotnet Siuss.Host.dll serve</c> as a real process in a working directory (its <c>./data</c> is the data
/// folder), on a free loopback port; can be killed with SIGKILL and started again on the same folder.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private readonly string _workingDirectory;
    private readonly string[] _extraArgs;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public HostProcess(string workingDirectory, params string[] extraArgs)
    {
        _workingDirectory = workingDirectory;
        _extraArgs = extraArgs;
    }

    /// <summary>Configuration keys (<c>Siuss:Database:Provider</c>...) given to every start, through the environment.</summary>
    public IDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The current base address, e.g. http://127.0.0.1:41234/ (a new port after each start).</summary>
    public Uri BaseAddress { get; private set; } = null!;
    public Uri Endpoint => new(BaseAddress, "AssistanceRecord.svc");

    /// <summary>Everything the process printed (all starts).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts serve and waits until GET /health answers.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var port = LoopbackPort.Free();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var info = CliProcess.StartInfo(CliProcess.HostDll, _workingDirectory, ["serve", "--urls", $"http://127.0.0.1:{port}", .. _extraArgs]);
        foreach (var (key, value) in TestDatabases.Environment(Settings)) info.Environment[key] = value;
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"serve exited with {process.ExitCode}\n{Output}");
            try
            {
                if ((await http.GetAsync("health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"serve did not answer /health\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, like a power cut of the process.</summary>
    public void Kill()
    {
        if (_process is not { } process) return;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: false);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        process.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

}
