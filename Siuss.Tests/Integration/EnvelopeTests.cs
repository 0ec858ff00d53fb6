using System.Net;
using System.Text;
using System.Xml.Linq;
using Siuss.Contracts;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>Raw HTTP against the SOAP endpoint: broken envelopes get a plain SOAP 1.1 fault with a stable code.</summary>
[TestFixture]
public sealed class EnvelopeTests
{
    private RunningRegister _register = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _register = await RunningRegister.StartAsync();
        _http = new HttpClient { BaseAddress = _register.BaseAddress };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _register.DisposeAsync();
    }

    private const string Submit = "urn:siuss:assistance-record:v1/SubmitFlow";

    private static string Envelope(string trasmissione, string flusso) =>
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><SubmitFlow xmlns=\"urn:siuss:assistance-record:v1\">" +
        $"<Trasmissione>{trasmissione}</Trasmissione><Flusso>{flusso}</Flusso></SubmitFlow></s:Body></s:Envelope>";

    private async Task<(HttpStatusCode Status, string FaultCode)> PostAsync(string action, string body)
    {
        using var content = new StringContent(body, new UTF8Encoding(false), "text/xml");
        content.Headers.ContentType!.CharSet = "utf-8";
        using var request = new HttpRequestMessage(HttpMethod.Post, "AssistanceRecord.svc") { Content = content };
        request.Headers.Add("SOAPAction", $"\"{action}\"");
        using var response = await _http.SendAsync(request);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var faultcode = xml.Descendants("faultcode").Single();
        var (prefix, local) = (faultcode.Value.Split(':')[0], faultcode.Value.Split(':')[1]);
        Assert.That(faultcode.GetNamespaceOfPrefix(prefix)?.NamespaceName, Is.EqualTo(Namespaces.Faults));
        Assert.That(xml.Descendants("faultstring").Single().Value, Does.Not.Contain("   at "), "no stack traces");
        return (response.StatusCode, local);
    }

    [Test]
    public async Task A_DTD_in_the_envelope_is_refused_and_its_entities_never_expanded()
    {
        var body = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"AAAA\">]>" + Envelope("&e;", "AA==");
        var (status, code) = await PostAsync(Submit, body);
        Assert.That(code, Is.EqualTo(FaultCodes.DtdProhibited));
        Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.Zero);
    }

    [Test]
    public async Task A_DTD_split_across_network_chunks_is_still_seen()
    {
        var body = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e \"AAAA\">]>" + Envelope("&e;", "AA=="));
        using var content = new StreamContent(new TrickleStream(body, 3));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "AssistanceRecord.svc") { Content = content };
        request.Headers.Add("SOAPAction", $"\"{Submit}\"");
        using var response = await _http.SendAsync(request);
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("f:DtdProhibited"));
    }

    [Test]
    public async Task A_UTF16_envelope_is_refused()
    {
        using var content = new ByteArrayContent(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Envelope("AA==", "AA=="))).ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "AssistanceRecord.svc") { Content = content };
        request.Headers.Add("SOAPAction", $"\"{Submit}\"");
        using var response = await _http.SendAsync(request);
        // Labelled UTF-8 (another label is refused at the edge as UnsupportedMediaType): the UTF-16 mark does not decode.
        Assert.That(Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()), Does.Contain("f:RequestMalformed"));
    }

    /// <summary>Hands out a few bytes per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] data, int step) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, step));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, step)], ct);
    }

    [Test]
    public async Task A_payload_that_is_not_base64_is_refused() =>
        Assert.That((await PostAsync(Submit, Envelope("!!not-base64!!", "AA=="))).FaultCode, Is.EqualTo(FaultCodes.RequestMalformed));

    [Test]
    public async Task An_unknown_SOAPAction_is_refused() =>
        Assert.That((await PostAsync("urn:siuss:assistance-record:v1/DeleteEverything", Envelope("AA==", "AA=="))).FaultCode, Is.EqualTo(FaultCodes.RequestMalformed));

    [Test]
    public async Task A_body_that_is_not_XML_is_refused() =>
        Assert.That((await PostAsync(Submit, "this is not xml")).FaultCode, Is.EqualTo(FaultCodes.RequestMalformed));

    [Test]
    public async Task A_header_that_is_not_a_signed_document_is_refused() =>
        Assert.That((await PostAsync(Submit, Envelope("AA==", "AA=="))).FaultCode, Is.EqualTo(FaultCodes.XmlMalformed));

    [Test]
    public async Task An_oversized_body_without_content_length_is_refused_while_streaming()
    {
        await using var small = await RunningRegister.StartAsync(new Dictionary<string, string> { ["Siuss:Limits:MaxRequestBytes"] = "10000" });
        using var http = new HttpClient { BaseAddress = small.BaseAddress };
        var payload = Convert.ToBase64String(new byte[50_000]);
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Envelope(payload, payload))));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "AssistanceRecord.svc") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("SOAPAction", $"\"{Submit}\"");

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(text, Does.Contain("RequestTooLarge").Or.Contain("RequestMalformed"));
        Assert.That(await small.CountAsync("SELECT COUNT(*) FROM submissions"), Is.Zero);
    }
}
