using System.Text;
using Siuss.Contracts;
using Siuss.Tests.Support;
using static Siuss.Tests.Support.HostileKit;

namespace Siuss.Tests.Hostile;

/// <summary>
/// The allow-list at the edge, over raw HTTP with exact request targets: a validly signed SubmitFlow (which would be
/// acquired at the front door) sent with another method, to a variant of the path, or with another Content-Type gets
/// the exact 404/405/415 fault, and nothing is stored.
/// </summary>
[TestFixture]
public sealed class FrontDoorTests : HostileFixture
{
    private const string Service = "/AssistanceRecord.svc";
    private const string Xml = "text/xml; charset=utf-8";

    public static IEnumerable<TestCaseData> Refusals()
    {
        TestCaseData Case(string method, string target, string? contentType, int status, string code) =>
            new TestCaseData(method, target, contentType, status, code).SetName($"{method} {target} [{contentType ?? "no Content-Type"}] -> {status} {code}");

        foreach (var method in new[] { "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND" })
            yield return Case(method, Service, Xml, 405, FaultCodes.MethodNotAllowed);
        foreach (var target in new[]
                 {
                     Service + "/", Service + "/x", Service + "/SubmitFlow", "/assistancerecord.svc", "/ASSISTANCERECORD.SVC",
                     "/AssistanceRecord%2Esvc", "/AssistanceRecord.sv%63", "/%41ssistanceRecord.svc", "//AssistanceRecord.svc",
                     "/x/../AssistanceRecord.svc", "/./AssistanceRecord.svc", Service + ";x", Service + "?wsdl",
                     Service + "?", "/", "/soap", "/AssistanceRecord.svc.bak",
                 })
            yield return Case("POST", target, Xml, 404, FaultCodes.EndpointNotFound);
        yield return Case("PUT", Service + "/", Xml, 404, FaultCodes.EndpointNotFound);
        yield return Case("POST", "/health", Xml, 405, FaultCodes.MethodNotAllowed);
        yield return Case("POST", "/receipt-certificate.pem", Xml, 405, FaultCodes.MethodNotAllowed);
        foreach (var contentType in new[]
                 {
                     null, "", "text/plain", "application/xml", "application/soap+xml; charset=utf-8", "text/xml; charset=utf-16",
                     "text/xml; charset=iso-8859-1", "multipart/related; boundary=b; type=\"text/xml\"", "application/json", "text/xml;;",
                 })
            yield return Case("POST", Service, contentType, 415, FaultCodes.UnsupportedMediaType);
    }

    [TestCaseSource(nameof(Refusals))]
    public async Task Off_the_allow_list_is_refused_with_its_fault_and_nothing_runs(string method, string target, string? contentType, int status, string code)
    {
        var body = Encoding.UTF8.GetBytes(Envelope(World));
        var submissions = await World.Register.CountAsync("SELECT COUNT(*) FROM submissions");

        var answer = await RawHttp.SendAsync(World.Register.BaseAddress,
            [RawHttp.Head(World.Register.BaseAddress, method, target, RawHttp.SoapHeaders(SubmitAction, body.Length, contentType)), body]);

        Assert.That(answer.Status, Is.EqualTo(status), answer.ToString());
        Assert.That(answer.FaultCode, Is.EqualTo(code), answer.ToString());
        if (status == 405) Assert.That(answer.Headers.ContainsKey("Allow"), Is.True, "a 405 names the allowed methods");
        Assert.That(await World.Register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions), "nothing ran, nothing stored");
    }

    public static IEnumerable<TestCaseData> GetRefusals()
    {
        foreach (var target in new[] { Service, Service + "?", Service + "?wsdl2", Service + "/?wsdl", Service + "/x?wsdl", "/Health", "/health/", "/rules.md/", "/receipt-certificate.pem/x", "/favicon.ico", "/wsdl/AssistanceRecord.wsdl" })
            yield return new TestCaseData(target).SetName($"GET {target} -> 404 EndpointNotFound");
    }

    [TestCaseSource(nameof(GetRefusals))]
    public async Task A_GET_off_the_list_is_404(string target)
    {
        var answer = await RawHttp.SendAsync(World.Register.BaseAddress, [RawHttp.Head(World.Register.BaseAddress, "GET", target, [])]);
        Assert.That(answer.Status, Is.EqualTo(404), answer.ToString());
        Assert.That(answer.FaultCode, Is.EqualTo(FaultCodes.EndpointNotFound), answer.ToString());
    }

    [Test]
    public async Task The_allow_list_itself_is_served()
    {
        var address = World.Register.BaseAddress;
        foreach (var target in new[] { Service + "?wsdl", Service + "?WSDL", "/health", "/rules.md", "/receipt-certificate.pem" })
        {
            var answer = await RawHttp.SendAsync(address, [RawHttp.Head(address, "GET", target, [])]);
            Assert.That(answer.Status, Is.EqualTo(200), $"{target}: {answer}");
        }
        var body = Encoding.UTF8.GetBytes(Envelope(World));
        var posted = await RawHttp.SendAsync(address, [RawHttp.Head(address, "POST", Service, RawHttp.SoapHeaders(SubmitAction, body.Length)), body]);
        Assert.That(posted.Status, Is.EqualTo(200), posted.ToString());
        Assert.That(posted.Text, Does.Contain("SubmitFlowResponse"));
    }

    [Test]
    public async Task The_Host_header_is_escaped_in_the_served_WSDL()
    {
        // '&' and '\'' are legal in a Host (RFC 3986 sub-delims), so Kestrel lets them through to the WSDL's attributes.
        var address = World.Register.BaseAddress;
        var head = Encoding.ASCII.GetBytes($"GET {Service}?wsdl HTTP/1.1\r\nHost: a&b'c\r\nConnection: close\r\n\r\n");
        var answer = await RawHttp.SendAsync(address, [head]);

        Assert.That(answer.Status, Is.EqualTo(200), answer.ToString());
        Assert.DoesNotThrow(() => System.Xml.Linq.XDocument.Parse(answer.Text), "the WSDL is well-formed whatever the Host");
        Assert.That(answer.Text, Does.Contain("http://a&amp;b&apos;c/AssistanceRecord.svc"));
    }

    [Test]
    public async Task A_ds_Object_carried_beside_a_valid_signature_is_refused_not_stored()
    {
        var submissions = await World.Register.CountAsync("SELECT COUNT(*) FROM submissions");
        var request = EditSigned(World, d =>
        {
            var signature = Select(d, "//ds:Signature");
            signature.AppendChild(d.CreateElement("ds", "Object", Ds))!.InnerText = "unsigned words that would pass for evidence";
        });
        var answer = await RawHttp.SendAsync(World.Register.BaseAddress, [Wrap(World.Register.BaseAddress, request)]);

        Assert.That(answer.FaultCode, Is.EqualTo(FaultCodes.SignatureProfileViolation), answer.ToString());
        Assert.That(await World.Register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions));
    }

    private byte[] Wrap(Uri address, HostileRequest request)
    {
        var body = Encoding.UTF8.GetBytes(Envelope(World, Convert.ToBase64String(request.Trasmissione!), Convert.ToBase64String(request.Flusso!)));
        return [.. RawHttp.Head(address, "POST", Service, RawHttp.SoapHeaders(SubmitAction, body.Length)), .. body];
    }

    [TestCase("PUT", Service)]
    [TestCase("POST", Service + "/")]
    [TestCase("POST", Service)]
    public async Task A_DOCTYPE_with_entities_is_never_expanded_whatever_the_method_or_path(string method, string target)
    {
        // Nested entities amplify 536 bytes to a million characters if any reader processes the DTD.
        var dtd = "<!DOCTYPE s:Envelope [<!ENTITY a \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\">" +
                  string.Concat(Enumerable.Range(1, 4).Select(i => $"<!ENTITY {(char)('a' + i)} \"{string.Concat(Enumerable.Repeat($"&{(char)('a' + i - 1)};", 10))}\">")) + "]>";
        var body = Encoding.UTF8.GetBytes(dtd + Envelope(World, "&e;", "AA=="));
        var address = World.Register.BaseAddress;
        var submissions = await World.Register.CountAsync("SELECT COUNT(*) FROM submissions");

        var answer = await RawHttp.SendAsync(address, [RawHttp.Head(address, method, target, RawHttp.SoapHeaders(SubmitAction, body.Length)), body]);

        var expected = method != "POST" ? FaultCodes.MethodNotAllowed : target != Service ? FaultCodes.EndpointNotFound : FaultCodes.DtdProhibited;
        Assert.That(answer.FaultCode, Is.EqualTo(expected), answer.ToString());
        Assert.That(answer.Body.Length, Is.LessThan(2048), "no expansion reached the answer");
        Assert.That(await World.Register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions));
    }
}
