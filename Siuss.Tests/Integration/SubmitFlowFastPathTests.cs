using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>
/// SubmitFlow over raw HTTP, as any SOAP stack may send it: the fast path that reads the envelope itself must store
/// what it was sent byte for byte, accept every valid base64Binary spelling, and refuse broken payloads with a
/// specific fault before anything is stored.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class SubmitFlowFastPathTests(string engine) : RegisterFixture(engine)
{
    private const string SubmitAction = "urn:siuss:assistance-record:v1/SubmitFlow";

    private static string Envelope(string? trasmissione, string? flusso, bool flowFirst = false)
    {
        var t = trasmissione is null ? "" : $"<Trasmissione>{trasmissione}</Trasmissione>";
        var f = flusso is null ? "" : $"<Flusso>{flusso}</Flusso>";
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" +
               $"<SubmitFlow xmlns=\"{Namespaces.Service}\">{(flowFirst ? f + t : t + f)}</SubmitFlow></s:Body></s:Envelope>";
    }

    private async Task<(HttpStatusCode Status, XDocument Answer)> PostAsync(string envelope)
    {
        using var http = new HttpClient { BaseAddress = Register.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(envelope));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/xml; charset=utf-8");
        using var request = new HttpRequestMessage(HttpMethod.Post, "AssistanceRecord.svc") { Content = content };
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{SubmitAction}\"");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    private Ricevuta ReceiptOf(XDocument answer)
    {
        var ricevuta = answer.Descendants(XName.Get("Ricevuta", Namespaces.Service)).SingleOrDefault()
            ?? throw new AssertionException("no receipt in: " + answer);
        return ReceiptVerifier.Verify(Convert.FromBase64String(ricevuta.Value), RegisterCertificate).Ricevuta;
    }

    private static string FaultCodeOf(XDocument answer)
    {
        var faultcode = answer.Descendants("faultcode").SingleOrDefault() ?? throw new AssertionException("no fault in: " + answer);
        var (prefix, local) = (faultcode.Value.Split(':')[0], faultcode.Value.Split(':')[1]);
        Assert.That(faultcode.GetNamespaceOfPrefix(prefix)?.NamespaceName, Is.EqualTo(Namespaces.Faults));
        return local;
    }

    private (byte[] Flow, string Nome, byte[] Header) Signed(FlowBuilder flow)
    {
        var bytes = flow.ToBytes();
        return (bytes, flow.Nome, SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma));
    }

    private async Task AssertRefusedAsync(string envelope, string expectedCode)
    {
        var before = await Register.CountAsync("SELECT COUNT(*) FROM submissions");
        var (status, answer) = await PostAsync(envelope);
        Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(FaultCodeOf(answer), Is.EqualTo(expectedCode), answer.ToString());
        Assert.That(answer.Descendants("faultstring").Single().Value, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(before), "nothing stored");
    }

    [Test]
    public async Task A_flow_larger_than_the_in_memory_buffers_sent_with_line_breaks_is_stored_byte_identical()
    {
        var builder = new FlowBuilder();
        for (int i = 0; i < 2_500; i++) builder.Beneficiario();
        var (flow, nome, header) = Signed(builder);
        Assert.That(flow.Length, Is.GreaterThan(1024 * 1024), "past the old 1 MB request buffer and the spool's memory threshold");

        // MIME-style base64 (76-character lines) is valid base64Binary.
        var (status, answer) = await PostAsync(Envelope(
            Convert.ToBase64String(header, Base64FormattingOptions.InsertLineBreaks), Convert.ToBase64String(flow, Base64FormattingOptions.InsertLineBreaks)));

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var ricevuta = ReceiptOf(answer);
        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), string.Join("; ", ricevuta.ErroriFlusso.Select(e => e.Messaggio)));
        Assert.That(ricevuta.Riepilogo.Totali, Is.EqualTo(2_500));
        Assert.That(ricevuta.HashFlusso, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(flow))));
        Assert.That(await Register.CountAsync(
            "SELECT COUNT(*) FROM submissions s JOIN submission_flows f ON f.submission_id = s.id " +
            "WHERE s.nome_flusso = @n AND f.raw_flusso = @f AND s.raw_trasmissione = @t AND s.flow_size = @size",
            new { n = nome, f = flow, t = header, size = flow.LongLength }), Is.EqualTo(1), "raw evidence byte-identical");
        Assert.That(await Register.CountAsync(
            "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n", new { n = nome }),
            Is.EqualTo(2_500));
    }

    [Test]
    public async Task Flusso_before_Trasmissione_is_read_all_the_same()
    {
        var (flow, nome, header) = Signed(new FlowBuilder().Beneficiario());
        var (_, answer) = await PostAsync(Envelope(Convert.ToBase64String(header), Convert.ToBase64String(flow), flowFirst: true));
        Assert.That(ReceiptOf(answer).Esito, Is.EqualTo(Esiti.Ok));
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM submissions s JOIN submission_flows f ON f.submission_id = s.id WHERE s.nome_flusso = @n AND f.raw_flusso = @f",
            new { n = nome, f = flow }), Is.EqualTo(1));
    }

    [Test]
    public async Task A_truncated_flow_payload_is_refused_as_malformed()
    {
        var (flow, _, header) = Signed(new FlowBuilder().Beneficiario());
        var base64 = Convert.ToBase64String(flow);
        await AssertRefusedAsync(Envelope(Convert.ToBase64String(header), base64[..^1]), FaultCodes.RequestMalformed);
    }

    [Test]
    public async Task Invalid_base64_deep_inside_a_large_flow_is_refused_and_nothing_is_stored()
    {
        var builder = new FlowBuilder();
        for (int i = 0; i < 600; i++) builder.Beneficiario();
        var (flow, _, header) = Signed(builder);
        var base64 = Convert.ToBase64String(flow);
        int middle = base64.Length / 2 / 4 * 4;
        await AssertRefusedAsync(Envelope(Convert.ToBase64String(header), base64[..middle] + "*" + base64[(middle + 1)..]), FaultCodes.RequestMalformed);
        await AssertRefusedAsync(Envelope(Convert.ToBase64String(header), base64[..middle] + "QQ==" + base64[middle..]), FaultCodes.RequestMalformed);
    }

    [Test]
    public async Task Missing_or_empty_parts_are_PayloadMissing()
    {
        var (flow, _, header) = Signed(new FlowBuilder().Beneficiario());
        await AssertRefusedAsync(Envelope(Convert.ToBase64String(header), null), FaultCodes.PayloadMissing);
        await AssertRefusedAsync(Envelope(Convert.ToBase64String(header), ""), FaultCodes.PayloadMissing);
        await AssertRefusedAsync(Envelope(Convert.ToBase64String(header), " \n "), FaultCodes.PayloadMissing);
        await AssertRefusedAsync(Envelope(null, Convert.ToBase64String(flow)), FaultCodes.PayloadMissing);
        await AssertRefusedAsync(Envelope(null, null), FaultCodes.PayloadMissing);
    }

    [Test]
    public async Task A_part_sent_twice_is_refused_as_malformed()
    {
        var (flow, _, header) = Signed(new FlowBuilder().Beneficiario());
        var f = Convert.ToBase64String(flow);
        await AssertRefusedAsync(Envelope(Convert.ToBase64String(header), f + $"</Flusso><Flusso>{f}"), FaultCodes.RequestMalformed);
    }

    [Test]
    public async Task A_second_body_after_a_valid_submission_is_refused_before_anything_is_stored()
    {
        var (flow, _, header) = Signed(new FlowBuilder().Beneficiario());
        var envelope = Envelope(Convert.ToBase64String(header), Convert.ToBase64String(flow))
            .Replace("</s:Envelope>", $"<s:Body><SubmitFlow xmlns=\"{Namespaces.Service}\"/></s:Body></s:Envelope>");
        await AssertRefusedAsync(envelope, FaultCodes.RequestMalformed);
    }
}
