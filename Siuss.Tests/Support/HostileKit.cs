using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.ServiceModel;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Signing;

namespace Siuss.Tests.Support;

/// <summary>What a hostile request must get: a SOAP fault with a code, or a signed receipt refusing the flow with a code.</summary>
public sealed record Expectation(string Code, bool IsFault)
{
    public static Expectation Fault(string code) => new(code, true);
    public static Expectation Refused(string code) => new(code, false);
    public override string ToString() => (IsFault ? "fault " : "receipt ") + Code;
}

/// <summary>One hostile request: either the two payloads through the WCF client, or a raw HTTP body.</summary>
public sealed class HostileRequest
{
    public byte[]? Trasmissione { get; init; }
    public byte[]? Flusso { get; init; }
    /// <summary>When set, POSTed as is (no WCF client).</summary>
    public byte[]? RawBody { get; init; }
    public string SoapAction { get; init; } = HostileKit.SubmitAction;
    public string ContentType { get; init; } = "text/xml; charset=utf-8";

    public static HostileRequest Wcf(byte[]? trasmissione, byte[]? flow) => new() { Trasmissione = trasmissione, Flusso = flow };
    public static HostileRequest Raw(string body, string? action = null, string? contentType = null) =>
        Raw(Encoding.UTF8.GetBytes(body), action, contentType);
    public static HostileRequest Raw(byte[] body, string? action = null, string? contentType = null) => new()
    {
        RawBody = body, SoapAction = action ?? HostileKit.SubmitAction, ContentType = contentType ?? "text/xml; charset=utf-8",
    };
}

/// <summary>A named hostile case: its class (for the report), how to build it and what it must get.</summary>
public sealed record HostileCase(string Class, string Name, Func<HostileWorld, HostileRequest> Build, Expectation Expect)
{
    public TestCaseData ToTestCase() => new TestCaseData(this).SetName($"{Class}: {Name} -> {Expect}");
    public override string ToString() => $"{Class}: {Name}";
}

/// <summary>
/// A running register with bodies in every state an attacker may use: H501 (RSA, pinned), F205 (ECDSA),
/// F839 (revoked), L219 (expired), A944 (valid only from tomorrow), and certificates that are not pinned.
/// </summary>
public sealed class HostileWorld : IAsyncDisposable
{
    public RunningRegister Register { get; private set; } = null!;
    public X509Certificate2 Roma { get; private set; } = null!;
    public X509Certificate2 Milano { get; private set; } = null!;
    public X509Certificate2 Revoked { get; private set; } = null!;
    public X509Certificate2 Expired { get; private set; } = null!;
    public X509Certificate2 NotYetValid { get; private set; } = null!;
    public X509Certificate2 RecentlyIssued { get; private set; } = null!;
    /// <summary>Never registered anywhere.</summary>
    public X509Certificate2 Stranger { get; private set; } = null!;
    /// <summary>Same subject and serial number as <see cref="Roma"/>, another key.</summary>
    public X509Certificate2 RomaTwin { get; private set; } = null!;

    /// <summary>
    /// Starts the world as a strict operator runs it: every register-policy rule raised to a refusal by configuration and the
    /// benefit-code table declared complete, so that the refusal path of every rule is attacked. The default severities (policy
    /// rules warn) are tested in BusinessRuleTests and OfficialExampleTests.
    /// </summary>
    public static async Task<HostileWorld> StartAsync(IDictionary<string, string>? settings = null, string engine = TestDatabases.Sqlite)
    {
        var world = new HostileWorld();
        var strict = new Dictionary<string, string> { ["Siuss:Limits:MaxRequestBytes"] = "400000" };
        foreach (var rule in Siuss.Service.Rules.RuleCodes.Catalogue.Where(r => r.IsAdjustable))
            strict[$"Siuss:Rules:Severity:{rule.Code}"] = "refuse";
        world.Register = await RunningRegister.StartAsync(settings ?? strict, engine: engine);
        await world.Register.Services.GetRequiredService<Siuss.Service.Rules.RuleSeverityCatalog>().SetCodeTableCompleteAsync(true, "hostile-world");
        var now = DateTimeOffset.UtcNow;
        world.Roma = TestCertificates.Rsa();
        world.Milano = TestCertificates.Ecdsa();
        world.Revoked = TestCertificates.Rsa("CN=Comune di Napoli, O=F839");
        world.Expired = TestCertificates.Rsa("CN=Comune di Torino, O=L219", now.AddYears(-3), now.AddDays(-1));
        world.NotYetValid = TestCertificates.Rsa("CN=Comune di Bologna, O=A944", now.AddDays(1), now.AddYears(2));
        world.RecentlyIssued = TestCertificates.Rsa("CN=Comune di Firenze, O=D612", now.AddHours(-1), now.AddYears(2));
        world.Stranger = TestCertificates.Rsa("CN=Stranger");
        world.RomaTwin = Twin(world.Roma);
        await world.Register.RegisterAgencyAsync("H501", world.Roma);
        await world.Register.RegisterAgencyAsync("F205", world.Milano, belfiore: "F205");
        await world.Register.RegisterAgencyAsync("F839", world.Revoked, belfiore: "F839");
        await world.Register.RegisterAgencyAsync("L219", world.Expired, belfiore: "L219");
        await world.Register.RegisterAgencyAsync("A944", world.NotYetValid, belfiore: "A944");
        await world.Register.RegisterAgencyAsync("D612", world.RecentlyIssued, belfiore: "D612");
        await world.Register.Services.GetRequiredService<Siuss.Service.Storage.AgencyRepository>()
            .RevokeCertificateAsync("F839", Siuss.Service.Storage.AgencyRepository.Thumbprint(world.Revoked), DateTime.UtcNow);
        return world;
    }

    private static X509Certificate2 Twin(X509Certificate2 original)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(original.SubjectName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        using var cert = request.Create(original.SubjectName, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1),
            original.NotBefore, original.NotAfter, original.GetSerialNumber().Reverse().ToArray());
        using var withKey = cert.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    public async ValueTask DisposeAsync() => await Register.DisposeAsync();

    /// <summary>Sends the request and checks the expectation, and that nothing was stored.</summary>
    public async Task AssertAsync(HostileCase c)
    {
        var request = c.Build(this);
        var submissions = await Register.CountAsync("SELECT COUNT(*) FROM submissions");
        var records = await Register.CountAsync("SELECT COUNT(*) FROM benefit_records");
        var sinba = await Register.CountAsync("SELECT COUNT(*) FROM sinba_records");
        var beneficiaries = await Register.CountAsync("SELECT COUNT(*) FROM beneficiaries");

        if (request.RawBody is not null)
        {
            var (status, code, text) = await HostileKit.PostRawAsync(Register.BaseAddress, request);
            Assert.That(c.Expect.IsFault, Is.True, "raw requests expect faults");
            Assert.That(code, Is.EqualTo(c.Expect.Code), $"HTTP {(int)status}: {text}");
            Assert.That(text, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions), "no submission stored");
        }
        else if (c.Expect.IsFault)
        {
            await using var client = Register.NewClient();
            var fault = Assert.ThrowsAsync<FaultException>(() =>
                client.Channel.SubmitFlowAsync(new SubmitFlowRequest { Trasmissione = request.Trasmissione, Flusso = request.Flusso }));
            Assert.That(fault!.Code.Name, Is.EqualTo(c.Expect.Code), fault.Message);
            Assert.That(fault.Code.Namespace, Is.EqualTo(Namespaces.Faults));
            Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions), "no submission stored");
        }
        else
        {
            await using var client = Register.NewClient();
            var raw = await client.SubmitAsync(request.Trasmissione!, request.Flusso!);
            var ricevuta = ReceiptVerifier.Verify(raw, await Register.DownloadReceiptCertificateAsync()).Ricevuta;
            var codes = ricevuta.ErroriFlusso.Select(e => e.Codice).Concat(ricevuta.EsitiRecord.SelectMany(r => r.Errori).Select(e => e.Codice)).ToList();
            var detail = string.Join("; ", ricevuta.ErroriFlusso.Concat(ricevuta.EsitiRecord.SelectMany(r => r.Errori)).Select(e => $"{e.Codice}: {e.Messaggio}"));
            Assert.That(ricevuta.Esito, Is.Not.EqualTo(Esiti.Ok), detail);
            Assert.That(codes, Does.Contain(c.Expect.Code), detail);
            Assert.That(ricevuta.IdAcquisizione, Is.Null.Or.Empty);
            Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM submissions WHERE id_messaggio = @id AND esito <> 'OK'", new { id = ricevuta.IdMessaggio }),
                Is.EqualTo(1), "the refusal is kept as evidence");
            Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions + 1));
        }
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM benefit_records"), Is.EqualTo(records), "no benefit record stored");
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM sinba_records"), Is.EqualTo(sinba), "no SINBA record stored");
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM beneficiaries"), Is.EqualTo(beneficiaries), "no beneficiary stored");
    }
}

/// <summary>Builders for hostile documents and envelopes.</summary>
public static class HostileKit
{
    public const string SubmitAction = "urn:siuss:assistance-record:v1/SubmitFlow";
    public const string Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string Ds = SignedXml.XmlDsigNamespaceUrl;

    /// <summary>A valid one-record flow of <paramref name="ente"/>.</summary>
    public static FlowBuilder Flow(string ente = "H501") => new FlowBuilder(ente, belfiore: ente).Beneficiario();

    /// <summary>An unsigned Trasmissione naming <paramref name="flow"/>.</summary>
    public static XmlDocument Header(byte[] flow, string ente = "H501", string? nome = null, DateTime? dataOra = null,
        string tipo = TipiFlusso.PsPsaSina, long? size = null, string? hash = null, Guid? id = null)
    {
        var when = dataOra ?? DateTime.UtcNow;
        return SignedDocuments.ToXml(new Trasmissione
        {
            IdMessaggio = (id ?? Guid.NewGuid()).ToString(),
            DataOra = DateTime.SpecifyKind(new DateTime(when.Ticks - when.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc),
            CodiceEnte = ente,
            TipoFlusso = tipo,
            NomeFlusso = nome ?? FlowBuilder.NewName(ente),
            HashFlusso = hash ?? Convert.ToHexStringLower(SHA256.HashData(flow)),
            DimensioneFlusso = size ?? flow.Length,
        });
    }

    /// <summary>Signs with the profile and returns the DOM (to edit after signing).</summary>
    public static XmlDocument Signed(XmlDocument header, X509Certificate2 signer)
    {
        XmlDocumentSigner.Sign(header, signer);
        return header;
    }

    public static byte[] Bytes(XmlDocument document) => CustomSigner.Bytes(document);

    public static string Text(XmlDocument document) => Encoding.UTF8.GetString(Bytes(document));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A namespace manager with ds and t (documents) prefixes.</summary>
    public static XmlNamespaceManager Ns(XmlDocument document)
    {
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("ds", Ds);
        ns.AddNamespace("t", Namespaces.Documents);
        return ns;
    }

    public static XmlElement Select(XmlDocument document, string xpath) => (XmlElement)document.SelectSingleNode(xpath, Ns(document))!;

    /// <summary>A valid flow with its validly signed header, edited by <paramref name="edit"/> after signing.</summary>
    public static HostileRequest EditSigned(HostileWorld w, Action<XmlDocument> edit)
    {
        var flow = Flow().ToBytes();
        var header = Signed(Header(flow), w.Roma);
        edit(header);
        return HostileRequest.Wcf(Bytes(header), flow);
    }

    /// <summary>A valid flow with its validly signed header whose text is rewritten by <paramref name="edit"/>.</summary>
    public static HostileRequest EditSignedText(HostileWorld w, Func<string, string> edit)
    {
        var flow = Flow().ToBytes();
        var header = Signed(Header(flow), w.Roma);
        return HostileRequest.Wcf(Utf8(edit(Text(header))), flow);
    }

    /// <summary>A valid flow with a header edited before signing.</summary>
    public static HostileRequest EditThenSign(HostileWorld w, Action<XmlDocument> edit)
    {
        var flow = Flow().ToBytes();
        var header = Header(flow);
        edit(header);
        return HostileRequest.Wcf(Bytes(Signed(header, w.Roma)), flow);
    }

    /// <summary>Signs a header for the given flow bytes (as they are, hostile or not) with <paramref name="signer"/>.</summary>
    public static HostileRequest SignedFlow(byte[] flow, X509Certificate2 signer, string ente = "H501", string? nome = null, string tipo = TipiFlusso.PsPsaSina) =>
        HostileRequest.Wcf(Bytes(Signed(Header(flow, ente, nome, tipo: tipo), signer)), flow);

    /// <summary>A SOAP 1.1 SubmitFlow envelope with a valid signed header and flow, unless given.</summary>
    public static string Envelope(HostileWorld w, string? trasmissione = null, string? flusso = null,
        string envelopeNs = Soap11, string operationNs = Namespaces.Service, string? header = null, string? beforeBody = null, string? afterBody = null)
    {
        if (trasmissione is null || flusso is null)
        {
            var flow = Flow().ToBytes();
            trasmissione ??= Convert.ToBase64String(Bytes(Signed(Header(flow), w.Roma)));
            flusso ??= Convert.ToBase64String(flow);
        }
        return $"<s:Envelope xmlns:s=\"{envelopeNs}\">{header}{beforeBody}<s:Body><SubmitFlow xmlns=\"{operationNs}\">" +
               $"<Trasmissione>{trasmissione}</Trasmissione><Flusso>{flusso}</Flusso></SubmitFlow></s:Body>{afterBody}</s:Envelope>";
    }

    /// <summary>POSTs a raw body; returns the status, the fault code's local name (or "" when none) and the text.</summary>
    public static async Task<(System.Net.HttpStatusCode Status, string Code, string Text)> PostRawAsync(Uri baseAddress, HostileRequest request)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var content = new ByteArrayContent(request.RawBody!);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        using var message = new HttpRequestMessage(HttpMethod.Post, "AssistanceRecord.svc") { Content = content };
        if (request.SoapAction.Length > 0 || request.ContentType.StartsWith("text/xml", StringComparison.Ordinal))
            message.Headers.TryAddWithoutValidation("SOAPAction", $"\"{request.SoapAction}\"");
        using var response = await http.SendAsync(message);
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        try
        {
            var xml = XDocument.Parse(text);
            var faultcode = xml.Descendants("faultcode").SingleOrDefault();
            if (faultcode is null) return (response.StatusCode, "", text);
            var parts = faultcode.Value.Split(':');
            var ns = faultcode.GetNamespaceOfPrefix(parts[0])?.NamespaceName;
            return (response.StatusCode, ns == Namespaces.Faults ? parts[1] : faultcode.Value, text);
        }
        catch (XmlException)
        {
            return (response.StatusCode, "", text);
        }
    }
}
