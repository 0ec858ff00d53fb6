using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Siuss.Tests.Integration;

/// <summary>
/// What a newcomer meets first at the operator's command line (issue 19, "the first hour"): a mistyped verb, a bad
/// date, a verb's help and a port already taken each get one clear message, as a real process.
/// </summary>
[TestFixture]
public sealed class OperatorFirstHourTests
{
    private string _work = null!;

    [SetUp]
    public void FreshWorkingDirectory() => _work = Directory.CreateTempSubdirectory("siuss-first-hour-").FullName;

    [TearDown]
    public void Clean() => Directory.Delete(_work, recursive: true);

    private Task<CliResult> Host(params string[] args) => CliProcess.RunAsync(CliProcess.HostDll, _work, args);

    [Test]
    public async Task An_unknown_verb_gets_one_error_naming_it_and_exit_code_2()
    {
        var result = await Host("frobnicate");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.StdErr, Does.Contain("Unrecognized command or argument 'frobnicate'."), result.ToString());
            Assert.That(result.StdErr, Does.Not.Contain("Required command was not provided"), result.ToString());
            Assert.That(result.StdOut, Is.Empty, "no help page drowns the error");
        });
    }

    [TestCase("--on", "2026-13-45", "codes", "list")]
    [TestCase("--from", "31/12/2026", "report", "compliance", "--to", "2026-12-31")]
    [TestCase("--to", "tomorrow", "audit", "consultations", "--from", "2026-01-01")]
    public async Task A_bad_date_names_the_option_the_text_and_the_expected_form(string option, string bad, params string[] verb)
    {
        var result = await Host([.. verb, option, bad]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.StdErr, Does.Contain($"{option}: '{bad}' is not a date; write it as yyyy-MM-dd"), result.ToString());
            Assert.That(result.StdErr, Does.Not.Contain("System."), "no .NET type name");
            Assert.That(File.Exists(Path.Combine(_work, "data", "siuss.db")), Is.False, "nothing ran");
        });
    }

    private static IEnumerable<string[]> Verbs() =>
    [
        ["serve"], ["migrate"], ["agency", "add"], ["agency", "list"], ["agency", "revoke-cert"], ["agency", "set-consult"],
        ["codes", "list"], ["codes", "import"], ["codes", "set"], ["rules", "list"], ["rules", "set"], ["rules", "audit"],
        ["report", "compliance"], ["audit", "consultations"],
    ];

    [TestCaseSource(nameof(Verbs))]
    public async Task A_verbs_help_shows_a_balanced_usage_line_with_the_configuration_it_accepts(string[] verb)
    {
        var help = await Host([.. verb, "--help"]);
        var usage = Regex.Match(help.StdOut, @"Usage:\r?\n\s+(.+)").Groups[1].Value;

        Assert.Multiple(() =>
        {
            Assert.That(help.ExitCode, Is.EqualTo(0), help.ToString());
            Assert.That(usage, Does.StartWith($"Siuss.Host {string.Join(' ', verb)} [options]"), help.ToString());
            Assert.That(usage.Count(c => c == '['), Is.EqualTo(usage.Count(c => c == ']')), $"unbalanced: {usage}");
            Assert.That(usage, Does.EndWith("[--Siuss:Section:Key=value ...]"), help.ToString());
            Assert.That(help.StdOut, Does.Not.Contain("additional arguments").IgnoreCase, help.ToString());
        });
    }

    [Test]
    public async Task The_configuration_the_usage_line_shows_is_accepted()
    {
        var result = await Host("agency", "list", "--Siuss:DataDirectory=elsewhere");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(File.Exists(Path.Combine(_work, "elsewhere", "siuss.db")), Is.True, result.ToString());
    }

    [Test]
    public async Task Serve_on_a_port_already_in_use_says_so_in_one_line_and_exits_1()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)squatter.LocalEndpoint).Port}";

        var result = await Host("serve", "--urls", url);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(result.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1), result.ToString());
            Assert.That(result.StdErr, Does.Contain($"Failed to bind to address {url}: address already in use."), result.ToString());
            Assert.That(result.StdOut + result.StdErr, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(result.StdOut, Does.Not.Contain("register ready"), "never claims to be ready");
        });
    }
}
