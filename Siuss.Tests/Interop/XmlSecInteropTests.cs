using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Signing;
using Siuss.Tests.Support;

namespace Siuss.Tests.Interop;

/// <summary>
/// The register and xmlsec1 (the reference XML-DSig implementation, OpenSSL backend) understand each
/// other's signatures: headers signed by xmlsec1 are accepted over real SOAP, and the register's receipts
/// verify with xmlsec1 against the published certificate alone.
/// </summary>
[TestFixture]
public sealed class XmlSecInteropTests
{
    private const string Ds = "http://www.w3.org/2000/09/xmldsig#";

    private RunningRegister _register = null!;
    private X509Certificate2 _rsa = null!;
    private X509Certificate2 _ecdsa = null!;
    private X509Certificate2 _registerCertificate = null!;
    private string _work = null!;
    private string _registerPem = null!;
    private string _xmlsec = null!;

    [OneTimeSetUp]
    public async Task StartRegister()
    {
        _register = await RunningRegister.StartAsync();
        _rsa = TestCertificates.Rsa();
        _ecdsa = TestCertificates.Ecdsa(subject: "CN=Comune di Roma (ECDSA), O=H501");
        await _register.RegisterAgencyAsync("H501", _rsa);
        await _register.RegisterAgencyAsync("H501", _ecdsa);
        _work = Directory.CreateTempSubdirectory("siuss-xmlsec-").FullName;

        // The exact bytes a relying party downloads: that file, and nothing else, is what xmlsec1 trusts.
        using var http = new HttpClient { BaseAddress = _register.BaseAddress };
        var pem = await http.GetByteArrayAsync("receipt-certificate.pem");
        _registerPem = Path.Combine(_work, "register.pem");
        await File.WriteAllBytesAsync(_registerPem, pem);
        _registerCertificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(pem));
    }

    [OneTimeTearDown]
    public async Task StopRegister()
    {
        await _register.DisposeAsync();
        _rsa.Dispose();
        _ecdsa.Dispose();
        _registerCertificate.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [SetUp]
    public void RequireXmlSec() => _xmlsec = ExternalTool.Require("xmlsec1");

    [TestCase("rsa", SignatureAlgorithms.RsaSha256)]
    [TestCase("ecdsa", SignatureAlgorithms.EcdsaSha256)]
    public async Task A_Trasmissione_signed_by_xmlsec1_is_acquired(string keyType, string signatureMethod)
    {
        var signer = keyType == "rsa" ? _rsa : _ecdsa;
        var flow = new FlowBuilder().Beneficiario();
        var flowBytes = flow.ToBytes();
        var now = DateTime.UtcNow;
        var header = new Trasmissione
        {
            IdMessaggio = Guid.NewGuid().ToString(),
            DataOra = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc),
            CodiceEnte = "H501",
            TipoFlusso = TipiFlusso.PsPsaSina,
            NomeFlusso = flow.Nome,
            HashFlusso = Convert.ToHexStringLower(SHA256.HashData(flowBytes)),
            DimensioneFlusso = flowBytes.LongLength,
        };
        var folder = Directory.CreateDirectory(Path.Combine(_work, "sign-" + keyType + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var template = Path.Combine(folder, "template.xml");
        var key = Path.Combine(folder, "key.pem");
        var certificate = Path.Combine(folder, "cert.pem");
        var output = Path.Combine(folder, "signed.xml");
        await File.WriteAllBytesAsync(template, SignatureTemplate(SignedDocuments.ToXml(header), signatureMethod));
        await File.WriteAllTextAsync(key, ExportPrivateKeyPkcs8Pem(signer));
        await File.WriteAllTextAsync(certificate, signer.ExportCertificatePem());

        var sign = await ExternalTool.RunAsync(_xmlsec, ["--sign", "--privkey-pem", $"{key},{certificate}", "--output", output, template]);
        Assert.That(sign.ExitCode, Is.Zero, sign.Describe());
        var signed = await File.ReadAllBytesAsync(output);

        // What xmlsec1 wrote is a real signature of its own, in the profile.
        var written = SafeXml.LoadDocument(signed);
        var ns = new XmlNamespaceManager(written.NameTable);
        ns.AddNamespace("ds", Ds);
        Assert.Multiple(() =>
        {
            Assert.That(written.SelectSingleNode("//ds:SignatureMethod/@Algorithm", ns)?.Value, Is.EqualTo(signatureMethod));
            Assert.That(written.SelectSingleNode("//ds:DigestValue", ns)?.InnerText.Trim(), Is.Not.Empty, "xmlsec1 left the digest empty");
            var certificates = written.SelectNodes("//ds:X509Data/ds:X509Certificate", ns)!;
            Assert.That(certificates, Has.Count.EqualTo(1), "xmlsec1 should put exactly the signer's certificate in X509Data");
            Assert.That(Convert.FromBase64String(certificates[0]!.InnerText), Is.EqualTo(signer.RawData));
            if (keyType == "ecdsa")
            {
                // XML-DSig 1.1 wants r||s (2 x 32 bytes for P-256), not DER: the two sides agree on it.
                var value = Convert.FromBase64String(written.SelectSingleNode("//ds:SignatureValue", ns)!.InnerText);
                Assert.That(value, Has.Length.EqualTo(64), "ECDSA P-256 SignatureValue should be r||s");
            }
        });

        await using var client = _register.NewClient();
        var raw = await client.SubmitAsync(signed, flowBytes);
        var ricevuta = ReceiptVerifier.Verify(raw, _registerCertificate).Ricevuta;

        Assert.Multiple(() =>
        {
            Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), string.Join("; ", ricevuta.ErroriFlusso.Select(e => e.Codice + " " + e.Messaggio)));
            Assert.That(ricevuta.NomeFlusso, Is.EqualTo(flow.Nome));
            Assert.That(ricevuta.IdMessaggio, Is.EqualTo(header.IdMessaggio));
            // The register received and hashed xmlsec1's bytes exactly as written.
            Assert.That(ricevuta.HashRichiesta, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(signed))));
        });
    }

    [Test]
    public async Task A_receipt_verifies_with_xmlsec1_against_the_published_certificate_and_no_other()
    {
        var receipt = await WriteReceiptAsync("receipt");
        var method = SafeXml.LoadDocument(await File.ReadAllBytesAsync(receipt))
            .GetElementsByTagName("SignatureMethod", Ds)[0] as XmlElement;
        Assert.That(method?.GetAttribute("Algorithm"), Is.EqualTo(SignatureAlgorithms.EcdsaSha256), "the register signs receipts with ECDSA P-256 by default");

        var verified = await VerifyWithXmlSecAsync(_registerPem, receipt);
        Assert.That(verified.ExitCode, Is.Zero, verified.Describe());
        Assert.That(verified.StandardOutput + verified.StandardError, Does.Match("(?m)^OK\\r?$"), verified.Describe());

        // A certificate that is not the register's must not verify it, although the receipt's own
        // KeyInfo carries the register's certificate: xmlsec1 must not take the key from there.
        using var stranger = TestCertificates.Ecdsa("CN=Not the register, O=SIUSS");
        var strangerPem = TestCertificates.WritePem(stranger, _work, "stranger.pem");
        var refused = await VerifyWithXmlSecAsync(strangerPem, receipt);
        Assert.That(refused.ExitCode, Is.Not.Zero, "xmlsec1 verified the receipt with a certificate other than the register's: " + refused.Describe());

        // Control: the refusal above is due to the key choice. Let xmlsec1 read KeyInfo (and skip
        // certificate checks) and the stranger's certificate is no longer what decides.
        var fromKeyInfo = await ExternalTool.RunAsync(_xmlsec, ["--verify", "--insecure", "--pubkey-cert-pem", strangerPem, receipt]);
        Assert.That(fromKeyInfo.ExitCode, Is.Zero, "control: with KeyInfo enabled xmlsec1 takes the key from the receipt itself: " + fromKeyInfo.Describe());
    }

    [Test]
    public async Task A_receipt_with_one_byte_of_Esito_changed_fails_xmlsec1_verification()
    {
        var receipt = await WriteReceiptAsync("tampered");
        var bytes = await File.ReadAllBytesAsync(receipt);
        var start = IndexOf(bytes, Encoding.UTF8.GetBytes("<Esito>" + Esiti.Ok + "<"));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "the receipt carries no <Esito>OK</Esito>: " + Encoding.UTF8.GetString(bytes));
        bytes[start + "<Esito>".Length] = (byte)'N'; // OK -> NK: still well-formed, one byte different
        var tampered = Path.Combine(_work, "tampered-" + Guid.NewGuid().ToString("N")[..8] + ".xml");
        await File.WriteAllBytesAsync(tampered, bytes);

        var original = await VerifyWithXmlSecAsync(_registerPem, receipt);
        Assert.That(original.ExitCode, Is.Zero, "control: the untouched receipt should verify: " + original.Describe());
        var result = await VerifyWithXmlSecAsync(_registerPem, tampered);
        Assert.That(result.ExitCode, Is.Not.Zero, "xmlsec1 verified a tampered receipt: " + result.Describe());
        Assert.That(result.StandardOutput + result.StandardError, Does.Match("(?m)^FAIL\\r?$"), result.Describe());
        Assert.That(() => ReceiptVerifier.Verify(bytes, _registerCertificate), Throws.TypeOf<ReceiptVerificationException>(), "our own verifier should agree with xmlsec1");
    }

    [Test]
    public async Task A_receipt_forged_with_another_key_fails_even_where_xmlsec1_would_trust_the_certificate_in_its_KeyInfo()
    {
        // A forger re-signs a genuine receipt with a key of their own, under the register's very name,
        // and puts their certificate in KeyInfo. Suppose that certificate chains to something the
        // verifying machine trusts (modelled with --trusted-pem): it still must not verify.
        var genuine = await WriteReceiptAsync("genuine");
        var document = SafeXml.LoadDocument(await File.ReadAllBytesAsync(genuine));
        var signature = document.GetElementsByTagName("Signature", Ds)[0]!;
        signature.ParentNode!.RemoveChild(signature);
        document.GetElementsByTagName("IdAcquisizione", Namespaces.Documents)[0]!.InnerText = Guid.NewGuid().ToString();
        using var forger = TestCertificates.Ecdsa(_registerCertificate.Subject);
        var forgedBytes = XmlDocumentSigner.SignToBytes(document, forger);
        var forged = Path.Combine(_work, "forged-" + Guid.NewGuid().ToString("N")[..8] + ".xml");
        await File.WriteAllBytesAsync(forged, forgedBytes);
        var forgerPem = TestCertificates.WritePem(forger, _work, "forger-" + Guid.NewGuid().ToString("N")[..8] + ".pem");

        var result = await VerifyWithXmlSecAsync(_registerPem, forged, "--trusted-pem", forgerPem);
        Assert.That(result.ExitCode, Is.Not.Zero, "xmlsec1 verified a receipt signed by another key: " + result.Describe());
        Assert.That(() => ReceiptVerifier.Verify(forgedBytes, _registerCertificate), Throws.TypeOf<ReceiptVerificationException>(), "our own verifier should agree with xmlsec1");

        // Control: without --enabled-key-data, xmlsec1 takes the trusted certificate from KeyInfo and
        // accepts the forgery, the published certificate notwithstanding. That option is what pins the key.
        var fromKeyInfo = await ExternalTool.RunAsync(_xmlsec, ["--verify", "--trusted-pem", forgerPem, "--pubkey-cert-pem", _registerPem, forged]);
        Assert.That(fromKeyInfo.ExitCode, Is.Zero, "control: with KeyInfo enabled xmlsec1 should take the forger's trusted certificate: " + fromKeyInfo.Describe());
    }

    /// <summary>
    /// Verifies with the key of <paramref name="certificatePem"/> only: <c>--enabled-key-data key-name</c>
    /// stops xmlsec1 from reading X509Data or KeyValue out of the document's KeyInfo (by default it would
    /// take the certificate found there), so the only key it can find is the one loaded from the file.
    /// Only a <c>URI=""</c> reference is allowed, as in the register's profile.
    /// </summary>
    private Task<ToolResult> VerifyWithXmlSecAsync(string certificatePem, string document, params string[] moreOptions) =>
        ExternalTool.RunAsync(_xmlsec,
        [
            "--verify",
            "--enabled-key-data", "key-name",
            "--enabled-reference-uris", "empty",
            "--pubkey-cert-pem", certificatePem,
            .. moreOptions,
            document,
        ]);

    /// <summary>Submits a valid flow with our own client and writes the register's signed receipt to a file.</summary>
    private async Task<string> WriteReceiptAsync(string name)
    {
        var flow = new FlowBuilder().Beneficiario();
        var flowBytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(flowBytes, "H501", flow.Nome, _rsa);
        await using var client = _register.NewClient();
        var raw = await client.SubmitAsync(trasmissione, flowBytes);
        Assert.That(ReceiptVerifier.Verify(raw, _registerCertificate).Ricevuta.Esito, Is.EqualTo(Esiti.Ok));
        var path = Path.Combine(_work, $"{name}-{Guid.NewGuid().ToString("N")[..8]}.xml");
        await File.WriteAllBytesAsync(path, raw);
        return path;
    }

    /// <summary>
    /// Appends the signature template xmlsec1 fills in: exclusive c14n, the given signature method,
    /// one reference URI="" with enveloped + exclusive c14n transforms and SHA-256, empty digest and
    /// signature values, an empty X509Data for the certificate. Serialised as UTF-8 without a BOM.
    /// </summary>
    private static byte[] SignatureTemplate(XmlDocument document, string signatureMethod)
    {
        XmlElement Add(XmlNode parent, string name, string? algorithm = null)
        {
            var element = document.CreateElement("ds", name, Ds);
            if (algorithm is not null) element.SetAttribute("Algorithm", algorithm);
            parent.AppendChild(element);
            return element;
        }

        var signature = Add(document.DocumentElement!, "Signature");
        var signedInfo = Add(signature, "SignedInfo");
        Add(signedInfo, "CanonicalizationMethod", SignatureAlgorithms.ExclusiveC14N);
        Add(signedInfo, "SignatureMethod", signatureMethod);
        var reference = Add(signedInfo, "Reference");
        reference.SetAttribute("URI", "");
        var transforms = Add(reference, "Transforms");
        Add(transforms, "Transform", SignatureAlgorithms.Enveloped);
        Add(transforms, "Transform", SignatureAlgorithms.ExclusiveC14N);
        Add(reference, "DigestMethod", SignatureAlgorithms.Sha256);
        Add(reference, "DigestValue");
        Add(signature, "SignatureValue");
        Add(Add(signature, "KeyInfo"), "X509Data");

        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            document.Save(writer);
        }
        return buffer.ToArray();
    }

    private static string ExportPrivateKeyPkcs8Pem(X509Certificate2 certificate)
    {
        if (certificate.GetECDsaPrivateKey() is { } ecdsa) using (ecdsa) return ecdsa.ExportPkcs8PrivateKeyPem();
        using var rsa = certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("The certificate has no private key.");
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
