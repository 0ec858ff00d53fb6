using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.ServiceModel;
using System.Text;
using System.Xml;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Signing;
using Microsoft.Extensions.DependencyInjection;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>Refusals before the sender is authenticated: each a SOAP fault with its stable code, and nothing stored.</summary>
[TestFixture]
public sealed class FaultTests
{
    private RunningRegister _register = null!;
    private X509Certificate2 _roma = null!;
    private X509Certificate2 _milano = null!;
    private X509Certificate2 _revoked = null!;
    private X509Certificate2 _expired = null!;

    [OneTimeSetUp]
    public async Task StartRegister()
    {
        _register = await RunningRegister.StartAsync(new Dictionary<string, string> { ["Siuss:Limits:MaxRequestBytes"] = "200000" });
        _roma = TestCertificates.Rsa();
        _milano = TestCertificates.Ecdsa();
        _revoked = TestCertificates.Rsa("CN=Comune di Napoli");
        _expired = TestCertificates.Rsa("CN=Comune di Torino", DateTimeOffset.UtcNow.AddYears(-3), DateTimeOffset.UtcNow.AddDays(-1));
        await _register.RegisterAgencyAsync("H501", _roma);
        await _register.RegisterAgencyAsync("F205", _milano, belfiore: "F205");
        await _register.RegisterAgencyAsync("F839", _revoked, belfiore: "F839");
        await _register.RegisterAgencyAsync("L219", _expired, belfiore: "L219");
        await _register.Services.GetRequiredService<Siuss.Service.Storage.AgencyRepository>()
            .RevokeCertificateAsync("F839", Siuss.Service.Storage.AgencyRepository.Thumbprint(_revoked), DateTime.UtcNow);
    }

    [OneTimeTearDown]
    public async Task StopRegister() => await _register.DisposeAsync();

    private static XmlDocument Header(byte[] flow, string codiceEnte = "H501", string? nome = null, DateTime? dataOra = null) =>
        SignedDocuments.ToXml(new Trasmissione
        {
            IdMessaggio = Guid.NewGuid().ToString(),
            DataOra = DateTime.SpecifyKind((dataOra ?? DateTime.UtcNow).AddTicks(-(dataOra ?? DateTime.UtcNow).Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc),
            CodiceEnte = codiceEnte,
            TipoFlusso = TipiFlusso.PsPsaSina,
            NomeFlusso = nome ?? FlowBuilder.NewName(codiceEnte),
            HashFlusso = Convert.ToHexStringLower(SHA256.HashData(flow)),
            DimensioneFlusso = flow.Length,
        });

    private async Task AssertFault(byte[]? trasmissione, byte[]? flow, string expectedCode)
    {
        var before = await _register.CountAsync("SELECT COUNT(*) FROM submissions");
        var recordsBefore = await _register.CountAsync("SELECT COUNT(*) FROM benefit_records");
        await using var client = _register.NewClient();

        var fault = Assert.ThrowsAsync<FaultException>(() => client.Channel.SubmitFlowAsync(new SubmitFlowRequest { Trasmissione = trasmissione, Flusso = flow }));

        Assert.That(fault!.Code.Name, Is.EqualTo(expectedCode), fault.Message);
        Assert.That(fault.Code.Namespace, Is.EqualTo(Namespaces.Faults));
        Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(before), "nothing stored");
        Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM benefit_records"), Is.EqualTo(recordsBefore), "nothing stored");
    }

    private static byte[] Flow(string codiceEnte = "H501") => new FlowBuilder(codiceEnte).Beneficiario().ToBytes();

    [Test]
    public async Task An_unsigned_header_is_refused()
    {
        var flow = Flow();
        await AssertFault(CustomSigner.Bytes(Header(flow)), flow, FaultCodes.SignatureMissing);
    }

    [Test]
    public async Task A_header_changed_after_signing_is_refused()
    {
        var flow = Flow();
        var signed = Encoding.UTF8.GetString(SignedDocuments.Sign(new Trasmissione(), _roma));
        var header = Header(flow);
        XmlDocumentSigner.Sign(header, _roma);
        header.GetElementsByTagName("DimensioneFlusso", Namespaces.Documents)[0]!.InnerText = "999";
        await AssertFault(CustomSigner.Bytes(header), flow, FaultCodes.SignatureInvalid);
        Assert.That(signed, Does.Contain("Signature"));
    }

    [Test]
    public async Task Whitespace_added_inside_signed_content_breaks_the_signature()
    {
        var flow = Flow();
        var header = Header(flow);
        XmlDocumentSigner.Sign(header, _roma);
        var text = Encoding.UTF8.GetString(CustomSigner.Bytes(header)).Replace("<CodiceEnte>", "<CodiceEnte> ");
        await AssertFault(Encoding.UTF8.GetBytes(text), flow, FaultCodes.SignatureInvalid);
    }

    [Test]
    public async Task A_certificate_that_is_not_registered_is_refused()
    {
        var flow = Flow();
        var stranger = TestCertificates.Rsa("CN=Comune di Roma, O=H501"); // same subject as the pinned one
        await AssertFault(SignedDocuments.SignTrasmissione(flow, "H501", FlowBuilder.NewName(), stranger), flow, FaultCodes.CertificateNotRegistered);
    }

    [Test]
    public async Task A_body_signing_for_another_body_is_refused()
    {
        var flow = Flow("F205");
        await AssertFault(SignedDocuments.SignTrasmissione(flow, "F205", FlowBuilder.NewName("F205"), _roma), flow, FaultCodes.CertificateNotRegistered);
    }

    [Test]
    public async Task An_unknown_body_is_refused()
    {
        var flow = Flow("Z999");
        await AssertFault(SignedDocuments.SignTrasmissione(flow, "Z999", FlowBuilder.NewName("Z999"), _roma), flow, FaultCodes.AgencyUnknown);
    }

    [Test]
    public async Task A_revoked_certificate_is_refused()
    {
        var flow = Flow("F839");
        await AssertFault(SignedDocuments.SignTrasmissione(flow, "F839", FlowBuilder.NewName("F839"), _revoked), flow, FaultCodes.CertificateRevoked);
    }

    [Test]
    public async Task An_expired_certificate_is_refused()
    {
        var flow = Flow("L219");
        await AssertFault(SignedDocuments.SignTrasmissione(flow, "L219", FlowBuilder.NewName("L219"), _expired), flow, FaultCodes.CertificateExpired);
    }

    [TestCase(-8 * 24 * 60)]
    [TestCase(60)]
    public async Task A_DataOra_outside_the_freshness_window_is_refused(int minutes)
    {
        var flow = Flow();
        await AssertFault(SignedDocuments.SignTrasmissione(flow, "H501", FlowBuilder.NewName(), _roma, dataOraUtc: DateTime.UtcNow.AddMinutes(minutes)), flow, FaultCodes.MessageStale);
    }

    [Test]
    public async Task An_ECDSA_signed_header_is_accepted()
    {
        var flow = new FlowBuilder("F205", belfiore: "F205").Beneficiario();
        var bytes = flow.ToBytes();
        await using var client = _register.NewClient();
        var receipt = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, "F205", flow.Nome, _milano), bytes);
        Assert.That(ReceiptVerifier.Verify(receipt, await _register.DownloadReceiptCertificateAsync()).Ricevuta.Esito, Is.EqualTo(Esiti.Ok));
    }

    [Test]
    public async Task Malformed_XML_is_refused() =>
        await AssertFault("<Trasmissione xmlns=\"urn:siuss:documents:v1\"><IdMessaggio>"u8.ToArray(), Flow(), FaultCodes.XmlMalformed);

    [Test]
    public async Task A_DTD_is_refused()
    {
        var flow = Flow();
        var header = Header(flow);
        XmlDocumentSigner.Sign(header, _roma);
        var text = "<!DOCTYPE Trasmissione [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>" + header.OuterXml;
        await AssertFault(Encoding.UTF8.GetBytes(text), flow, FaultCodes.DtdProhibited);
    }

    [Test]
    public async Task A_request_larger_than_the_limit_is_refused_before_it_is_read()
    {
        var flow = new byte[300_000];
        Random.Shared.NextBytes(flow);
        await AssertFault(SignedDocuments.SignTrasmissione(flow, "H501", FlowBuilder.NewName(), _roma), flow, FaultCodes.RequestTooLarge);
    }

    [Test]
    public async Task A_missing_header_or_flow_is_refused()
    {
        var flow = Flow();
        await AssertFault(null, flow, FaultCodes.PayloadMissing);
        await AssertFault([], flow, FaultCodes.PayloadMissing);
        await AssertFault(SignedDocuments.SignTrasmissione(flow, "H501", FlowBuilder.NewName(), _roma), null, FaultCodes.PayloadMissing);
    }

    [Test]
    public async Task A_signed_document_of_the_wrong_kind_is_refused()
    {
        var flow = Flow();
        await AssertFault(SignedDocuments.SignGetReceipt("H501", _roma, idAcquisizione: Guid.NewGuid().ToString()), flow, FaultCodes.DocumentInvalid);
    }

    [Test]
    public async Task A_signed_header_missing_a_field_is_refused()
    {
        var flow = Flow();
        var header = Header(flow);
        var size = header.GetElementsByTagName("DimensioneFlusso", Namespaces.Documents)[0]!;
        size.ParentNode!.RemoveChild(size);
        XmlDocumentSigner.Sign(header, _roma);
        await AssertFault(CustomSigner.Bytes(header), flow, FaultCodes.DocumentInvalid);
    }

    public static IEnumerable<TestCaseData> ProfileViolations()
    {
        yield return new TestCaseData(SignatureAlgorithms.RsaSha256, "http://www.w3.org/2000/09/xmldsig#sha1", SignatureAlgorithms.ExclusiveC14N, null, "").SetName("Refuses a SHA-1 digest");
        yield return new TestCaseData("http://www.w3.org/2000/09/xmldsig#rsa-sha1", SignatureAlgorithms.Sha256, SignatureAlgorithms.ExclusiveC14N, null, "").SetName("Refuses RSA-SHA1");
        yield return new TestCaseData(SignatureAlgorithms.RsaSha256, SignatureAlgorithms.Sha256, "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", null, "").SetName("Refuses inclusive c14n");
        yield return new TestCaseData(SignatureAlgorithms.RsaSha256, SignatureAlgorithms.Sha256, SignatureAlgorithms.ExclusiveC14N,
            (Func<Transform[]>)(() => [new XmlDsigEnvelopedSignatureTransform()]), "").SetName("Refuses a reference without exclusive c14n");
        yield return new TestCaseData(SignatureAlgorithms.RsaSha256, SignatureAlgorithms.Sha256, SignatureAlgorithms.ExclusiveC14N,
            (Func<Transform[]>)(() => [new XmlDsigEnvelopedSignatureTransform(), new XmlDsigExcC14NWithCommentsTransform()]), "").SetName("Refuses exclusive c14n with comments");
    }

    [TestCaseSource(nameof(ProfileViolations))]
    public async Task A_signature_outside_the_profile_is_refused(string signatureMethod, string digestMethod, string c14n, Func<Transform[]>? transforms, string uri)
    {
        var flow = Flow();
        var header = CustomSigner.Sign(Header(flow), _roma, signatureMethod, digestMethod, c14n, transforms, uri);
        await AssertFault(CustomSigner.Bytes(header), flow, FaultCodes.SignatureProfileViolation);
    }

    [Test]
    public async Task Two_signatures_are_refused()
    {
        var flow = Flow();
        var header = Header(flow);
        XmlDocumentSigner.Sign(header, _roma);
        XmlDocumentSigner.Sign(header, _roma);
        await AssertFault(CustomSigner.Bytes(header), flow, FaultCodes.SignatureProfileViolation);
    }

    [Test]
    public async Task A_signature_without_the_certificate_is_refused()
    {
        var flow = Flow();
        var header = CustomSigner.Sign(Header(flow), _roma, includeCertificate: false);
        await AssertFault(CustomSigner.Bytes(header), flow, FaultCodes.SignatureProfileViolation);
    }

    [Test]
    public async Task An_RSA_key_shorter_than_2048_bits_is_refused()
    {
        var flow = Flow();
        var weak = TestCertificates.Rsa("CN=weak", keySize: 1024);
        await AssertFault(SignedDocuments.SignTrasmissione(flow, "H501", FlowBuilder.NewName(), weak), flow, FaultCodes.SignatureProfileViolation);
    }
}
