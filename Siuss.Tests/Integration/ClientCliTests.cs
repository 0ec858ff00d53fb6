using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Siuss.Client;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>
/// The paying body's tool, <c>siuss-client</c>, as a real process against a real register on loopback:
/// exit codes (0 OK, 1 refused, 2 SOAP fault, 3 usage) and the lines a body's IT team reads.
/// </summary>
[TestFixture]
public sealed class ClientCliTests
{
    private const string PfxPasswordVariable = "SIUSS_TEST_PFX_PASSWORD";
    private RunningRegister _register = null!;
    private X509Certificate2 _roma = null!;
    private string _registerPem = "";
    private string _work = null!;

    [OneTimeSetUp]
    public async Task StartRegister()
    {
        _register = await RunningRegister.StartAsync();
        _roma = TestCertificates.Rsa();
        await _register.RegisterAgencyAsync("H501", _roma);
        _registerPem = (await _register.DownloadReceiptCertificateAsync()).ExportCertificatePem();
    }

    [OneTimeTearDown]
    public async Task StopRegister() => await _register.DisposeAsync();

    [SetUp]
    public void FreshWorkingDirectory()
    {
        _work = Directory.CreateTempSubdirectory("siuss-client-cli-").FullName;
        WriteCertificateAndKey(_roma, "body");
        File.WriteAllText(Path.Combine(_work, "register.pem"), _registerPem);
    }

    [TearDown]
    public void Clean()
    {
        try { Directory.Delete(_work, recursive: true); }
        catch (IOException) { /* the temp folder is cleaned by the OS */ }
    }

    private string Url => _register.Endpoint.ToString();

    private Task<CliResult> Client(params string[] args) => CliProcess.RunAsync(CliProcess.ClientDll, _work, args);

    private void WriteCertificateAndKey(X509Certificate2 certificate, string name)
    {
        File.WriteAllText(Path.Combine(_work, name + ".pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_work, name + "-key.pem"), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    private string WriteFlow(FlowBuilder flow, string file = "flow.xml")
    {
        File.WriteAllBytes(Path.Combine(_work, file), flow.ToBytes());
        return file;
    }

    private static string Line(CliResult result, string label)
    {
        var match = Regex.Match(result.StdOut, $"^{Regex.Escape(label)}: (.+)$", RegexOptions.Multiline);
        Assert.That(match.Success, Is.True, $"no '{label}:' line\n{result}");
        return match.Groups[1].Value.Trim();
    }

    [Test]
    public async Task Sign_then_submit_then_verify_receipt_then_get_receipt_by_either_id()
    {
        var flow = new FlowBuilder().Beneficiario();
        WriteFlow(flow);

        var sign = await Client("sign", "--flow", "flow.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem", "--out", "trasmissione.xml");
        Assert.That(sign.ExitCode, Is.EqualTo(0), sign.ToString());
        Assert.That(sign.StdOut, Does.Contain($"Flow {flow.Nome} (PS_PSA_SINA)"), sign.ToString());
        var idMessaggio = Line(sign, "IdMessaggio");

        var submit = await Client("submit", "--url", Url, "--flow", "flow.xml", "--trasmissione", "trasmissione.xml",
            "--register-cert", "register.pem", "--out", "ricevuta.xml");
        Assert.That(submit.ExitCode, Is.EqualTo(0), submit.ToString());
        var idAcquisizione = Line(submit, "IdAcquisizione");
        Assert.Multiple(() =>
        {
            Assert.That(Line(submit, "Esito"), Is.EqualTo("OK"), submit.ToString());
            Assert.That(Guid.TryParse(idAcquisizione, out _), Is.True, submit.ToString());
            Assert.That(Line(submit, "IdMessaggio"), Is.EqualTo(idMessaggio), submit.ToString());
            Assert.That(Line(submit, "NomeFlusso"), Is.EqualTo($"{flow.Nome} (PS_PSA_SINA)"), submit.ToString());
            Assert.That(Line(submit, "Record"), Is.EqualTo("1 totali, 1 validi, 0 scartati, 0 tardivi"), submit.ToString());
            Assert.That(submit.StdOut, Does.Not.Contain("downloaded"), "a pinned register certificate is not downloaded\n" + submit);
        });
        var receipt = File.ReadAllBytes(Path.Combine(_work, "ricevuta.xml"));
        Assert.That(ReceiptVerifier.Verify(receipt, X509Certificate2.CreateFromPem(_registerPem)).Ricevuta.IdAcquisizione, Is.EqualTo(idAcquisizione));

        var verify = await Client("verify-receipt", "--receipt", "ricevuta.xml", "--register-cert", "register.pem");
        Assert.Multiple(() =>
        {
            Assert.That(verify.ExitCode, Is.EqualTo(0), verify.ToString());
            Assert.That(verify.StdOut, Does.Contain("The receipt verifies"), verify.ToString());
            Assert.That(Line(verify, "IdAcquisizione"), Is.EqualTo(idAcquisizione), verify.ToString());
        });

        var byAcquisition = await Client("get-receipt", "--url", Url, "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem",
            "--id-acquisizione", idAcquisizione, "--register-cert", "register.pem", "--out", "copia-1.xml");
        var byMessage = await Client("get-receipt", "--url", Url, "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem",
            "--id-messaggio", idMessaggio, "--register-cert", "register.pem", "--out", "copia-2.xml");
        Assert.Multiple(() =>
        {
            Assert.That(byAcquisition.ExitCode, Is.EqualTo(0), byAcquisition.ToString());
            Assert.That(Line(byAcquisition, "IdAcquisizione"), Is.EqualTo(idAcquisizione), byAcquisition.ToString());
            Assert.That(File.ReadAllBytes(Path.Combine(_work, "copia-1.xml")), Is.EqualTo(receipt), "the stored receipt, byte for byte");
            Assert.That(byMessage.ExitCode, Is.EqualTo(0), byMessage.ToString());
            Assert.That(Line(byMessage, "IdAcquisizione"), Is.EqualTo(idAcquisizione), byMessage.ToString());
            Assert.That(File.ReadAllBytes(Path.Combine(_work, "copia-2.xml")), Is.EqualTo(receipt), "the stored receipt, byte for byte");
        });
    }

    [Test]
    public async Task Submit_signs_on_the_fly_from_a_PFX_and_downloads_the_register_certificate_when_none_is_pinned()
    {
        File.WriteAllBytes(Path.Combine(_work, "body.pfx"), _roma.Export(X509ContentType.Pkcs12, "s3cret"));
        var flow = new FlowBuilder().Beneficiario();
        WriteFlow(flow);

        var submit = await CliProcess.RunAsync(CliProcess.ClientDll, _work,
            ["submit", "--url", Url, "--flow", "flow.xml", "--ente", "H501", "--pfx", "body.pfx", "--password-env", PfxPasswordVariable],
            environment: new Dictionary<string, string> { [PfxPasswordVariable] = "s3cret" });

        Assert.Multiple(() =>
        {
            Assert.That(submit.ExitCode, Is.EqualTo(0), submit.ToString());
            Assert.That(submit.StdOut, Does.Contain($"Register certificate downloaded from {new Uri(_register.BaseAddress, "receipt-certificate.pem")}"), submit.ToString());
            Assert.That(Line(submit, "Esito"), Is.EqualTo("OK"), submit.ToString());
            Assert.That(File.Exists(Path.Combine(_work, "ricevuta.xml")), Is.True, "--out defaults to ricevuta.xml");
        });
    }

    // Signs and submits a flow of two records, the second changed by the test, as H501 with its PEM key.
    private Task<CliResult> SubmitSecondRecordAsync(Action<BeneficiarioSpec> change)
    {
        WriteFlow(new FlowBuilder().Beneficiario().Beneficiario(change));
        return Client("submit", "--url", Url, "--flow", "flow.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem",
            "--register-cert", "register.pem", "--out", "ricevuta.xml");
    }

    [Test]
    public async Task A_refused_flow_exits_1_and_prints_each_error_with_its_record_number()
    {
        var submit = await SubmitSecondRecordAsync(b => b.Prestazione["ImportoPrestazione"] = "0.00");

        Assert.Multiple(() =>
        {
            Assert.That(submit.ExitCode, Is.EqualTo(1), submit.ToString());
            Assert.That(Line(submit, "Esito"), Is.EqualTo("RICHIESTA_INVALIDA"), submit.ToString());
            Assert.That(Line(submit, "IdAcquisizione"), Is.EqualTo("-"), submit.ToString());
            Assert.That(submit.StdOut, Does.Match(@"Record 2 \(I A1\.06 PROT-\d+\): RICHIESTA_INVALIDA"), submit.ToString());
            Assert.That(submit.StdOut, Does.Match(@"Errore record 2 ONE_OFF_AMOUNT_REQUIRED( \[[^\]]+\])?: \S.*"), submit.ToString());
            Assert.That(submit.StdOut, Does.Not.Contain("Errore record 1 "), submit.ToString());
            Assert.That(File.Exists(Path.Combine(_work, "ricevuta.xml")), Is.True, "a refusal's receipt is saved too");
        });
    }

    [Test]
    public async Task An_accepted_flow_with_a_warning_exits_0_and_prints_the_warning_beside_its_record()
    {
        var submit = await SubmitSecondRecordAsync(b => b.Prestazione["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(-10));

        Assert.Multiple(() =>
        {
            Assert.That(submit.ExitCode, Is.EqualTo(0), submit.ToString());
            Assert.That(Line(submit, "Esito"), Is.EqualTo("OK"), submit.ToString());
            Assert.That(Line(submit, "Record"), Is.EqualTo("2 totali, 2 validi, 0 scartati, 0 tardivi, 1 con avvertenze"), submit.ToString());
            Assert.That(submit.StdOut, Does.Match(@"Avvertenza record 2 DATE_IN_FUTURE \[DataErogazionePrestazione\]: \S.*"), submit.ToString());
            Assert.That(submit.StdOut, Does.Not.Contain("Avvertenza record 1 "), submit.ToString());
        });
    }

    [Test]
    public async Task A_SOAP_fault_exits_2_with_the_fault_code_and_message()
    {
        WriteCertificateAndKey(TestCertificates.Rsa("CN=Someone else"), "stranger");
        WriteFlow(new FlowBuilder().Beneficiario());

        var submit = await Client("submit", "--url", Url, "--flow", "flow.xml", "--ente", "H501", "--cert", "stranger.pem", "--key", "stranger-key.pem",
            "--register-cert", "register.pem", "--out", "ricevuta.xml");

        Assert.Multiple(() =>
        {
            // Exit 4 "invalid SOAP Fault" here would mean the register wrote a qualified <faultcode> (see SoapFaultTransformer).
            Assert.That(submit.ExitCode, Is.EqualTo(2), submit.ToString());
            Assert.That(submit.StdErr, Does.Contain("SOAP fault: CertificateNotRegistered"), submit.ToString());
            Assert.That(submit.StdErr, Does.Contain("Message: The signing certificate is not registered for 'H501'."), submit.ToString());
            Assert.That(File.Exists(Path.Combine(_work, "ricevuta.xml")), Is.False, "a fault carries no receipt");
        });
    }

    [Test]
    public async Task A_request_over_the_size_limit_is_a_SOAP_fault_and_exits_2()
    {
        await using var small = await RunningRegister.StartAsync(new Dictionary<string, string> { ["Siuss:Limits:MaxRequestBytes"] = "8192" });
        var flow = new FlowBuilder();
        for (var i = 0; i < 20; i++) flow.Beneficiario();
        WriteFlow(flow);

        var submit = await Client("submit", "--url", small.Endpoint.ToString(), "--flow", "flow.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem",
            "--register-cert", "register.pem");

        Assert.Multiple(() =>
        {
            Assert.That(submit.ExitCode, Is.EqualTo(2), submit.ToString());
            Assert.That(submit.StdErr, Does.Contain("SOAP fault: RequestTooLarge"), submit.ToString());
            Assert.That(submit.StdErr, Does.Contain("Message: The request is larger than 8192 bytes."), submit.ToString());
        });
    }

    [Test]
    public async Task Verify_receipt_exits_1_for_a_tampered_receipt_and_for_another_certificate()
    {
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        byte[] receipt;
        await using (var client = _register.NewClient())
            receipt = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, _roma), bytes);
        var text = Encoding.UTF8.GetString(receipt);
        Assert.That(text, Does.Contain("Validi=\"1\""));
        File.WriteAllBytes(Path.Combine(_work, "ricevuta.xml"), receipt);
        File.WriteAllText(Path.Combine(_work, "tampered.xml"), text.Replace("Validi=\"1\"", "Validi=\"2\""));
        File.WriteAllText(Path.Combine(_work, "other.pem"), TestCertificates.Ecdsa().ExportCertificatePem());

        var good = await Client("verify-receipt", "--receipt", "ricevuta.xml", "--register-cert", "register.pem");
        var tampered = await Client("verify-receipt", "--receipt", "tampered.xml", "--register-cert", "register.pem");
        var other = await Client("verify-receipt", "--receipt", "ricevuta.xml", "--register-cert", "other.pem");

        Assert.Multiple(() =>
        {
            Assert.That(good.ExitCode, Is.EqualTo(0), good.ToString());
            Assert.That(tampered.ExitCode, Is.EqualTo(1), tampered.ToString());
            Assert.That(tampered.StdErr, Does.Contain("does NOT verify"), tampered.ToString());
            Assert.That(tampered.StdOut, Does.Not.Contain("Esito:"), "nothing of an unverified receipt is printed as fact\n" + tampered);
            Assert.That(other.ExitCode, Is.EqualTo(1), other.ToString());
            Assert.That(other.StdErr, Does.Contain("signed by a certificate other than the register's"), other.ToString());
        });
    }

    private string WriteSinbaSample()
    {
        // The register's SINBA sample, moved to this body (code, seat) and renamed so that its name is new to the register.
        var sample = Path.Combine(TestContext.CurrentContext.TestDirectory, "Conformance", "Samples", "Sinba", "valid-case-closed-came-of-age.xml");
        var name = FlowBuilder.NewName("H501", "SINBA");
        File.WriteAllText(Path.Combine(_work, "sinba.xml"), File.ReadAllText(sample)
            .Replace("F839.SINBA.20250520.0000001", name).Replace("Codice=\"F839\"", "Codice=\"H501\"").Replace("Indirizzo=\"F839\"", "Indirizzo=\"H501\""));
        return name;
    }

    [Test]
    public async Task Sign_and_submit_read_the_flow_type_from_the_file_as_submit_folder_does()
    {
        var name = WriteSinbaSample();

        var sign = await Client("sign", "--flow", "sinba.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem", "--out", "trasmissione.xml");
        var submit = await Client("submit", "--url", Url, "--flow", "sinba.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem",
            "--register-cert", "register.pem");
        Assert.Multiple(() =>
        {
            Assert.That(sign.ExitCode, Is.EqualTo(0), sign.ToString());
            Assert.That(sign.StdOut, Does.Contain($"Flow {name} (SINBA)"), sign.ToString());
            Assert.That(File.ReadAllText(Path.Combine(_work, "trasmissione.xml")), Does.Contain("<TipoFlusso>SINBA</TipoFlusso>"));
            Assert.That(submit.StdOut, Does.Contain($"Flow {name} (SINBA)"), submit.ToString());
            Assert.That(Line(submit, "Esito"), Is.EqualTo("OK"), submit.ToString());
            Assert.That(submit.ExitCode, Is.EqualTo(0), submit.ToString());
        });

        WriteFlow(new FlowBuilder().Beneficiario());
        var ps = await Client("sign", "--flow", "flow.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem", "--out", "ps.xml");
        var forced = await Client("sign", "--flow", "sinba.xml", "--tipo", "PS_PSA_SINA", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem", "--out", "forced.xml");
        Assert.That(ps.StdOut, Does.Contain("(PS_PSA_SINA)"), ps.ToString());
        Assert.That(forced.StdOut, Does.Contain($"Flow {name} (PS_PSA_SINA)"), "an explicit --tipo still wins");
    }

    [Test]
    public async Task Get_receipt_never_replaces_the_default_file_unless_out_names_it()
    {
        WriteFlow(new FlowBuilder().Beneficiario());
        var submit = await Client("submit", "--url", Url, "--flow", "flow.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem",
            "--register-cert", "register.pem");
        Assert.That(submit.ExitCode, Is.EqualTo(0), submit.ToString());
        var idAcquisizione = Line(submit, "IdAcquisizione");
        var earlier = Path.Combine(_work, "ricevuta.xml");
        await File.WriteAllTextAsync(earlier, "an earlier receipt the body keeps");

        string[] getReceipt = ["get-receipt", "--url", Url, "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem",
            "--id-acquisizione", idAcquisizione, "--register-cert", "register.pem"];
        var refused = await Client(getReceipt);
        var again = await Client("submit", "--url", Url, "--flow", "flow.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem");
        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(3), refused.ToString());
            Assert.That(refused.StdErr, Does.Contain("ricevuta.xml already exists and is not replaced unless named"), refused.ToString());
            Assert.That(again.ExitCode, Is.EqualTo(3), "submit --flow checks before sending: " + again);
            Assert.That(File.ReadAllText(earlier), Is.EqualTo("an earlier receipt the body keeps"));
        });

        var named = await Client([.. getReceipt, "--out", "ricevuta.xml"]);
        Assert.That(named.ExitCode, Is.EqualTo(0), named.ToString());
        Assert.That(File.ReadAllText(earlier), Does.Contain(idAcquisizione), "replaced when --out names it");
    }

    [Test]
    public async Task Get_receipt_for_an_unknown_acquisition_exits_1_with_DATI_NON_TROVATI()
    {
        var result = await Client("get-receipt", "--url", Url, "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem",
            "--id-acquisizione", Guid.NewGuid().ToString(), "--register-cert", "register.pem");

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(Line(result, "Esito"), Is.EqualTo("DATI_NON_TROVATI"), result.ToString());
            Assert.That(result.StdOut, Does.Contain("Errore flusso RECEIPT_NOT_FOUND: "), result.ToString());
        });
    }

    [TestCase(new string[0], "Required command was not provided", TestName = "No verb")]
    [TestCase(new[] { "submit", "--url", "{url}", "--flow", "flow.xml" }, "Give --trasmissione", TestName = "Submit with neither a Trasmissione nor a signer")]
    [TestCase(new[] { "submit", "--url", "{url}", "--flow", "flow.xml", "--trasmissione", "t.xml", "--ente", "H501" }, "not both", TestName = "Submit with both a Trasmissione and a signer")]
    [TestCase(new[] { "submit", "--url", "not a url", "--flow", "flow.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem" }, "--url must be an absolute http(s) address", TestName = "Submit to a bad URL")]
    [TestCase(new[] { "sign", "--flow", "missing.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem" }, "does not exist", TestName = "Sign a missing flow file")]
    [TestCase(new[] { "sign", "--flow", "flow.xml", "--ente", "H501", "--cert", "body.pem" }, "Cannot load the signing certificate and key", TestName = "Sign without the private key")]
    [TestCase(new[] { "sign", "--flow", "flow.xml", "--ente", "H501", "--pfx", "body.pfx", "--password-env", "SIUSS_TEST_UNSET_VARIABLE" }, "is not set", TestName = "Sign with an unset password variable")]
    [TestCase(new[] { "sign", "--flow", "flow.xml", "--cert", "body.pem", "--key", "body-key.pem" }, "Give --ente", TestName = "Sign without --ente")]
    [TestCase(new[] { "sign", "--flow", "flow.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem", "--tipo", "XYZ" }, "'XYZ' not recognized", TestName = "Sign with an unknown flow type")]
    [TestCase(new[] { "get-receipt", "--url", "{url}", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem", "--id-acquisizione", "a", "--id-messaggio", "b" }, "exactly one of", TestName = "Get receipt by both ids")]
    [TestCase(new[] { "verify-receipt", "--receipt", "ricevuta.xml" }, "--register-cert", TestName = "Verify receipt without the register certificate")]
    public async Task Usage_errors_exit_3_with_a_message(string[] args, string message)
    {
        WriteFlow(new FlowBuilder().Beneficiario());
        File.WriteAllBytes(Path.Combine(_work, "body.pfx"), _roma.Export(X509ContentType.Pkcs12, "s3cret"));

        var result = await Client([.. args.Select(a => a.Replace("{url}", Url))]);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), result.ToString());
            Assert.That(result.StdErr, Does.Contain(message), result.ToString());
            Assert.That(result.StdErr, Does.Not.Contain("   at "), "a message, not a stack trace\n" + result);
        });
    }

    [Test]
    public async Task Sign_refuses_a_flow_that_carries_a_DTD()
    {
        var xml = new FlowBuilder().Beneficiario().ToXml();
        var withDtd = xml.Replace("<Flusso ", "<!DOCTYPE Flusso [<!ENTITY x \"x\">]>\n<Flusso ");
        Assert.That(withDtd, Does.Contain("<!DOCTYPE"));
        File.WriteAllText(Path.Combine(_work, "flow.xml"), withDtd);

        var sign = await Client("sign", "--flow", "flow.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem");

        Assert.Multiple(() =>
        {
            Assert.That(sign.ExitCode, Is.EqualTo(3), sign.ToString());
            Assert.That(sign.StdErr, Does.Contain("carries a DTD"), sign.ToString());
            Assert.That(File.Exists(Path.Combine(_work, "trasmissione.xml")), Is.False, sign.ToString());
        });
    }

    [Test]
    public async Task The_demo_sample_flow_is_acquired_as_it_is()
    {
        var sample = FindUpwards(Path.Combine("demo", "sample-flow.xml"));
        File.Copy(sample, Path.Combine(_work, "sample-flow.xml"));

        var submit = await Client("submit", "--url", Url, "--flow", "sample-flow.xml", "--ente", "H501", "--cert", "body.pem", "--key", "body-key.pem",
            "--register-cert", "register.pem");

        Assert.Multiple(() =>
        {
            Assert.That(submit.ExitCode, Is.EqualTo(0), submit.ToString());
            Assert.That(Line(submit, "Esito"), Is.EqualTo("OK"), submit.ToString());
            Assert.That(Line(submit, "NomeFlusso"), Is.EqualTo("H501.PS.20250115.1 (PS_PSA_SINA)"), submit.ToString());
        });
    }

    private static string FindUpwards(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"'{relativePath}' not found above {AppContext.BaseDirectory}");
        return "";
    }
}
