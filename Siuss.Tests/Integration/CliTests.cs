using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using System.Text;
using System.Text.RegularExpressions;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>
/// The operator's command line as a real process (<c>dotnet Siuss.Host.dll agency ...</c>), each run in
/// its own working directory so that <c>./data</c> is its own; then <c>serve</c> as a process in the
/// same directory, proving the verbs and the server share one data folder.
/// </summary>
[TestFixture]
public sealed class CliTests
{
    private string _work = null!;
    private X509Certificate2 _roma = null!;
    private Process? _server;
    private StringBuilder? _serverOutput;

    [SetUp]
    public void FreshWorkingDirectory()
    {
        _work = Directory.CreateTempSubdirectory("siuss-cli-").FullName;
        _roma = TestCertificates.Rsa();
    }

    [TearDown]
    public void StopServerAndClean()
    {
        if (_server is { } server)
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                server.WaitForExit(10_000);
            }
            server.Dispose();
            _server = null;
        }
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { /* a file still held open; the temp folder is cleaned by the OS */ }
    }

    private static string Thumbprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));

    private Task<CliResult> Agency(params string[] args) => CliProcess.RunAsync(CliProcess.HostDll, _work, ["agency", .. args]);

    private Task<CliResult> AddRoma(string certFile) =>
        Agency("add", "--code", "H501", "--name", "Comune di Roma", "--belfiore", "H501", "--cert", certFile);

    [Test]
    public async Task Agency_add_with_a_PEM_certificate_registers_the_body_and_list_shows_the_SHA256_thumbprint()
    {
        TestCertificates.WritePem(_roma, _work);

        var add = await AddRoma("body.pem");
        var list = await Agency("list");

        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.EqualTo(0), add.ToString());
            Assert.That(add.StdOut, Does.Contain("Registered H501 (Comune di Roma), seat H501."), add.ToString());
            Assert.That(add.StdOut, Does.Contain($"Pinned certificate {Thumbprint(_roma)}"), add.ToString());
            Assert.That(list.ExitCode, Is.EqualTo(0), list.ToString());
            Assert.That(list.StdOut, Does.Contain("H501\tComune di Roma\tseat H501"), list.ToString());
            Assert.That(list.StdOut, Does.Contain($"cert {Thumbprint(_roma)}\tactive"), list.ToString());
            Assert.That(File.Exists(Path.Combine(_work, "data", "siuss.db")), Is.True, "the verbs use ./data of their working directory");
        });
    }

    [Test]
    public async Task Agency_add_accepts_a_DER_certificate()
    {
        File.WriteAllBytes(Path.Combine(_work, "body.cer"), _roma.RawData);

        var add = await AddRoma("body.cer");
        var list = await Agency("list");

        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.EqualTo(0), add.ToString());
            Assert.That(list.StdOut, Does.Contain($"cert {Thumbprint(_roma)}\tactive"), list.ToString());
        });
    }

    [Test]
    public async Task Revoke_cert_by_thumbprint_marks_the_certificate_revoked_in_the_list()
    {
        TestCertificates.WritePem(_roma, _work);
        var add = await AddRoma("body.pem");
        Assert.That(add.ExitCode, Is.EqualTo(0), add.ToString());

        var revoke = await Agency("revoke-cert", "--code", "H501", "--thumbprint", Thumbprint(_roma));
        var list = await Agency("list");

        Assert.Multiple(() =>
        {
            Assert.That(revoke.ExitCode, Is.EqualTo(0), revoke.ToString());
            Assert.That(revoke.StdOut, Does.Contain($"Revoked certificate {Thumbprint(_roma)}."), revoke.ToString());
            Assert.That(list.StdOut, Does.Match($@"cert {Thumbprint(_roma)}\tREVOKED \d{{4}}-\d\d-\d\d"), list.ToString());
            Assert.That(list.StdOut, Does.Not.Contain("\tactive"), list.ToString());
        });
    }

    [Test]
    public async Task Revoking_an_unknown_thumbprint_fails_and_says_so()
    {
        TestCertificates.WritePem(_roma, _work);
        Assert.That((await AddRoma("body.pem")).ExitCode, Is.EqualTo(0));

        var revoke = await Agency("revoke-cert", "--code", "H501", "--thumbprint", Thumbprint(TestCertificates.Rsa()));
        var list = await Agency("list");

        Assert.Multiple(() =>
        {
            Assert.That(revoke.ExitCode, Is.Not.EqualTo(0), revoke.ToString());
            Assert.That(revoke.StdErr, Does.Contain("No active certificate with that thumbprint"), revoke.ToString());
            Assert.That(list.StdOut, Does.Contain($"cert {Thumbprint(_roma)}\tactive"), "the registered certificate is untouched\n" + list);
        });
    }

    [Test]
    public async Task A_mistyped_option_is_refused_instead_of_ignored()
    {
        TestCertificates.WritePem(_roma, _work);

        var add = await Agency("add", "--code", "H501", "--name", "Comune di Roma", "--belfiore", "H501", "--crt", "body.pem");
        var list = await Agency("list");

        Assert.That(add.ExitCode, Is.EqualTo(2), add.ToString());
        Assert.That(add.StdErr, Does.Contain("Unknown option '--crt'"), add.ToString());
        Assert.That(list.StdOut, Does.Contain("No paying bodies registered."), list.ToString());
    }

    [Test]
    public async Task A_file_that_is_not_a_certificate_is_refused_with_a_message_not_a_stack_trace()
    {
        File.WriteAllText(Path.Combine(_work, "junk.pem"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");

        var add = await AddRoma("junk.pem");
        var revoke = await Agency("revoke-cert", "--code", "H501", "--cert", "missing.pem");

        Assert.That(add.ExitCode, Is.EqualTo(2), add.ToString());
        Assert.That(add.StdErr, Does.Contain("is not a certificate (PEM or DER)").And.Not.Contain("   at "), add.ToString());
        Assert.That(revoke.ExitCode, Is.EqualTo(2), revoke.ToString());
        Assert.That(revoke.StdErr, Does.Contain("does not exist").And.Not.Contain("   at "), revoke.ToString());
    }

    [Test]
    public async Task A_certificate_whose_key_the_signature_profile_refuses_is_not_pinned()
    {
        TestCertificates.WritePem(TestCertificates.Rsa(keySize: 1024), _work);

        var add = await AddRoma("body.pem");
        var list = await Agency("list");

        Assert.That(add.ExitCode, Is.EqualTo(2), add.ToString());
        Assert.That(add.StdErr, Does.Contain("RSA keys shorter than 2048 bits are not accepted").And.Not.Contain("   at "), add.ToString());
        Assert.That(list.StdOut, Does.Contain("No paying bodies registered."), list.ToString());
    }

    [Test]
    public async Task Revoke_cert_accepts_a_colon_separated_upper_case_thumbprint()
    {
        TestCertificates.WritePem(_roma, _work);
        Assert.That((await AddRoma("body.pem")).ExitCode, Is.EqualTo(0));
        var colons = string.Join(":", Enumerable.Range(0, 32).Select(i => Thumbprint(_roma).Substring(i * 2, 2).ToUpperInvariant()));

        var revoke = await Agency("revoke-cert", "--code", "H501", "--thumbprint", colons);

        Assert.That(revoke.ExitCode, Is.EqualTo(0), revoke.ToString());
    }

    [TestCase("H50")]
    [TestCase("1501")]
    [TestCase("H5O1")]
    public async Task A_bad_belfiore_code_is_refused_and_nothing_is_registered(string belfiore)
    {
        TestCertificates.WritePem(_roma, _work);

        var add = await Agency("add", "--code", "H501", "--name", "Comune di Roma", "--belfiore", belfiore, "--cert", "body.pem");
        var list = await Agency("list");

        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.Not.EqualTo(0), add.ToString());
            Assert.That(add.StdErr, Does.Contain("is not a cadastral code"), add.ToString());
            Assert.That(list.StdOut, Does.Contain("No paying bodies registered."), list.ToString());
        });
    }

    [Test]
    public async Task Adding_the_same_certificate_twice_fails_with_a_clear_message()
    {
        TestCertificates.WritePem(_roma, _work);
        Assert.That((await AddRoma("body.pem")).ExitCode, Is.EqualTo(0));

        var again = await AddRoma("body.pem");
        var list = await Agency("list");

        Assert.Multiple(() =>
        {
            Assert.That(again.ExitCode, Is.Not.EqualTo(0), again.ToString());
            Assert.That(again.StdErr, Does.Contain("certificate is already registered"), again.ToString());
            Assert.That(again.StdErr, Does.Not.Contain("Exception"), "a message, not a stack trace\n" + again);
            Assert.That(Regex.Matches(list.StdOut, "\tcert ").Count, Is.EqualTo(1), list.ToString());
        });
    }

    [Test]
    public async Task Serve_and_the_agency_verbs_share_the_data_folder_so_a_revocation_takes_effect_on_the_running_register()
    {
        TestCertificates.WritePem(_roma, _work);
        var add = await AddRoma("body.pem");
        Assert.That(add.ExitCode, Is.EqualTo(0), add.ToString());

        var baseAddress = await StartServerAsync();
        using var http = new HttpClient { BaseAddress = baseAddress };
        var registerCertificate = X509Certificate2.CreateFromPem(await http.GetStringAsync("receipt-certificate.pem"));
        var endpoint = new Uri(baseAddress, "AssistanceRecord.svc");

        var first = new FlowBuilder().Beneficiario();
        var firstBytes = first.ToBytes();
        byte[] raw;
        await using (var client = new RegisterClient(endpoint, TimeSpan.FromMinutes(1)))
            raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(firstBytes, "H501", first.Nome, _roma), firstBytes);
        var ricevuta = ReceiptVerifier.Verify(raw, registerCertificate).Ricevuta;
        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok),
            string.Join("; ", ricevuta.ErroriFlusso.Select(e => e.Codice + " " + e.Messaggio)) + "\n" + ServerOutput);

        var revoke = await Agency("revoke-cert", "--code", "H501", "--thumbprint", Thumbprint(_roma));
        Assert.That(revoke.ExitCode, Is.EqualTo(0), revoke.ToString());

        var second = new FlowBuilder().Beneficiario();
        var secondBytes = second.ToBytes();
        await using var again = new RegisterClient(endpoint, TimeSpan.FromMinutes(1));
        var fault = Assert.ThrowsAsync<FaultException>(() =>
            again.SubmitAsync(SignedDocuments.SignTrasmissione(secondBytes, "H501", second.Nome, _roma), secondBytes),
            "A SOAP 1.1 fault needs an unqualified <faultcode> (Siuss.Host/Web/SoapFaultTransformer); WCF refuses a qualified one.");
        Assert.Multiple(() =>
        {
            Assert.That(fault!.Code.Name, Is.EqualTo(FaultCodes.CertificateRevoked), fault.Message + "\n" + ServerOutput);
            Assert.That(fault.Code.Namespace, Is.EqualTo(Namespaces.Faults));
        });
    }

    private string ServerOutput
    {
        get { lock (_serverOutput!) return "--- server output ---\n" + _serverOutput; }
    }

    /// <summary>Starts 'serve' in the working directory on a free loopback port and waits for GET /health.</summary>
    private async Task<Uri> StartServerAsync()
    {
        var port = LoopbackPort.Free();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        _serverOutput = new StringBuilder();
        var output = _serverOutput;
        _server = new Process { StartInfo = CliProcess.StartInfo(CliProcess.HostDll, _work, ["serve", "--urls", $"http://127.0.0.1:{port}"]) };
        _server.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        _server.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        _server.Start();
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_server.HasExited)
                Assert.Fail($"'serve' exited with {_server.ExitCode} before answering /health\n{ServerOutput}");
            try
            {
                if ((await http.GetAsync("health")).StatusCode == HttpStatusCode.OK) return baseAddress;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            catch (TaskCanceledException) { /* slow start */ }
            await Task.Delay(200);
        }
        Assert.Fail($"'serve' did not answer GET /health within 60 s\n{ServerOutput}");
        return baseAddress;
    }

}

/// <summary>What a command-line process did: its exit code and everything it printed.</summary>
internal sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>Runs the built command-line tools (copied to the test output) as real processes, with a timeout.</summary>
internal static class CliProcess
{
    /// <summary>The operator's tool: serve, migrate, agency.</summary>
    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "Siuss.Host.dll");

    /// <summary>The paying body's tool: siuss-client.</summary>
    public static string ClientDll => Path.Combine(AppContext.BaseDirectory, "siuss-client.dll");

    /// <summary>Start information for <c>dotnet DLL args</c> in a working directory, isolated from the runner's ASP.NET and SIUSS settings.</summary>
    public static ProcessStartInfo StartInfo(string dll, string workingDirectory, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var key in info.Environment.Keys.Where(k =>
                     k.StartsWith("Siuss__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(key);
        return info;
    }

    /// <summary>Runs to completion (killed and failed after <paramref name="timeout"/>, 60 s by default).</summary>
    public static async Task<CliResult> RunAsync(string dll, string workingDirectory, IEnumerable<string> args,
        TimeSpan? timeout = null, IDictionary<string, string>? environment = null)
    {
        var info = StartInfo(dll, workingDirectory, args);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"'{Path.GetFileName(dll)} {string.Join(' ', info.ArgumentList.Skip(1))}' timed out\n" +
                        new CliResult(-1, await stdout, await stderr));
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
