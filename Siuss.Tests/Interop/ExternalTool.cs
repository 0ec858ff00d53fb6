using System.Diagnostics;
using System.Text;

namespace Siuss.Tests.Interop;

/// <summary>What an external tool did: exit code and everything it printed.</summary>
public sealed record ToolResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The whole run, for assertion messages.</summary>
    public string Describe() =>
        $"`{CommandLine}` exited {ExitCode}{Environment.NewLine}--- stdout ---{Environment.NewLine}{StandardOutput}" +
        $"{Environment.NewLine}--- stderr ---{Environment.NewLine}{StandardError}";
}

/// <summary>
/// Finds and runs the third-party peers of the interop tests (xmlsec1, node, npm). A missing peer
/// fails the test under CI (CI=true) and ignores it elsewhere, with the command that installs it.
/// </summary>
public static class ExternalTool
{
    /// <summary>How long one run of a tool may take before it is killed.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The command that installs every interop peer on a Debian machine.</summary>
    public const string InstallHint = "install the interop peers with `bash .ci/install-interop-peers.sh` (as root, on Debian)";

    /// <summary>True under CI: the CI variable is set to anything but empty, 0 or false.</summary>
    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci
        && ci != "0" && !ci.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>The full path of <paramref name="name"/> on PATH; fails (CI) or ignores the test when it is not there.</summary>
    public static string Require(string name)
    {
        var path = Find(name);
        if (path is null) Unavailable($"The interop peer '{name}' is not on PATH; {InstallHint}.");
        return path!;
    }

    /// <summary>Stops the test because a peer cannot be used: a failure under CI, an ignored test elsewhere.</summary>
    public static void Unavailable(string message)
    {
        if (IsCi) Assert.Fail(message + " (CI is set: a missing interop peer fails the run.)");
        Assert.Ignore(message);
    }

    /// <summary>Looks <paramref name="name"/> up on PATH, the way a shell would.</summary>
    public static string? Find(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
                return candidate;
        }
        return null;
    }

    /// <summary>
    /// Runs a tool with no standard input, capturing stdout and stderr; kills its whole process tree
    /// and fails the test when it outlives <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>).
    /// </summary>
    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var commandLine = string.Join(' ', new[] { fileName }.Concat(start.ArgumentList.Select(Quote)));

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? DefaultTimeout;
        using var timer = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`{commandLine}` did not finish within {limit.TotalSeconds:0} s and was killed." +
                        $"{Environment.NewLine}--- stdout ---{Environment.NewLine}{await stdout}{Environment.NewLine}--- stderr ---{Environment.NewLine}{await stderr}");
        }
        return new ToolResult(commandLine, process.ExitCode, await stdout, await stderr);
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=,@%+".Contains(c)) ? argument : "'" + argument.Replace("'", "'\\''") + "'";
}
