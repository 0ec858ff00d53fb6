using System.Text;
using Siuss.Contracts;
using Siuss.Tests.Support;
using static Siuss.Tests.Support.HostileKit;

namespace Siuss.Tests.Hostile;

/// <summary>
/// Raw HTTP against the SOAP endpoint: hostile envelopes around otherwise valid, validly signed payloads.
/// Each gets a SOAP 1.1 fault with its exact code, no stack trace, and nothing is stored.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class EnvelopeAttackTests(string engine) : HostileFixture(engine)
{
    [TestCaseSource(nameof(Cases))]
    public async Task Hostile_envelope_is_refused_and_nothing_stored(HostileCase c) => await World.AssertAsync(c);

    private const string Soap = "SOAP envelope";
    private const string Xml = "XML in the envelope";
    private const string Soap12 = "http://www.w3.org/2003/05/soap-envelope";

    private static HostileCase F(string cls, string name, Func<HostileWorld, HostileRequest> build, string code) =>
        new(cls, name, build, Expectation.Fault(code));

    public static IEnumerable<TestCaseData> Cases() => All().Select(c => c.ToTestCase());

    public static IEnumerable<HostileCase> All()
    {
        // ---- SOAP ----
        yield return F(Soap, "SOAPAction of GetReceipt with a SubmitFlow body", w => HostileRequest.Raw(Envelope(w), "urn:siuss:assistance-record:v1/GetReceipt"), FaultCodes.RequestMalformed);
        yield return F(Soap, "empty SOAPAction", w => HostileRequest.Raw(Envelope(w), ""), FaultCodes.RequestMalformed);
        yield return F(Soap, "SOAPAction of another service", w => HostileRequest.Raw(Envelope(w), "http://tempuri.org/IService/SubmitFlow"), FaultCodes.RequestMalformed);
        yield return F(Soap, "operation element in a wrong namespace", w => HostileRequest.Raw(Envelope(w, operationNs: "urn:evil")), FaultCodes.RequestMalformed);
        yield return F(Soap, "payload elements in a wrong namespace", w => HostileRequest.Raw(Envelope(w).Replace("<Trasmissione>", "<Trasmissione xmlns=\"urn:evil\">").Replace("<Flusso>", "<Flusso xmlns=\"urn:evil\">")), FaultCodes.PayloadMissing);
        yield return F(Soap, "envelope in a wrong namespace", w => HostileRequest.Raw(Envelope(w, envelopeNs: "urn:evil")), FaultCodes.RequestMalformed);
        yield return F(Soap, "SOAP 1.2 envelope with text/xml", w => HostileRequest.Raw(Envelope(w, envelopeNs: Soap12)), FaultCodes.RequestMalformed);
        yield return F(Soap, "SOAP 1.2 envelope with application/soap+xml", w => HostileRequest.Raw(Envelope(w, envelopeNs: Soap12), "", $"application/soap+xml; charset=utf-8; action=\"{SubmitAction}\""), FaultCodes.UnsupportedMediaType);
        yield return F(Soap, "envelope without a body", w => HostileRequest.Raw($"<s:Envelope xmlns:s=\"{Soap11}\"><s:Header/></s:Envelope>"), FaultCodes.RequestMalformed);
        yield return F(Soap, "empty body", w => HostileRequest.Raw($"<s:Envelope xmlns:s=\"{Soap11}\"><s:Body/></s:Envelope>"), FaultCodes.RequestMalformed);
        yield return F(Soap, "two bodies", w => HostileRequest.Raw(Envelope(w, afterBody: $"<s:Body><SubmitFlow xmlns=\"{Namespaces.Service}\"/></s:Body>")), FaultCodes.RequestMalformed);
        yield return F(Soap, "two operation elements in one body", w => HostileRequest.Raw(Envelope(w).Replace("</SubmitFlow></s:Body>", $"</SubmitFlow><SubmitFlow xmlns=\"{Namespaces.Service}\"/></s:Body>")), FaultCodes.RequestMalformed);
        yield return F(Soap, "body before the header", w => HostileRequest.Raw(Envelope(w, afterBody: "<s:Header/>")), FaultCodes.RequestMalformed);
        yield return F(Soap, "unknown header with mustUnderstand=1", w => HostileRequest.Raw(Envelope(w, header: "<s:Header><x:Evil xmlns:x=\"urn:evil\" s:mustUnderstand=\"1\"/></s:Header>")), FaultCodes.RequestMalformed);
        yield return F(Soap, "a root that is not an envelope", w => HostileRequest.Raw($"<SubmitFlow xmlns=\"{Namespaces.Service}\"><Trasmissione>AA==</Trasmissione></SubmitFlow>"), FaultCodes.RequestMalformed);
        yield return F(Soap, "base64 with bad padding", w => HostileRequest.Raw(Envelope(w, "AAA", "AAA")), FaultCodes.RequestMalformed);
        yield return F(Soap, "base64 with characters outside the alphabet", w => HostileRequest.Raw(Envelope(w, "QUJD*REVG", "AA==")), FaultCodes.RequestMalformed);
        yield return F(Soap, "empty Trasmissione element", w => HostileRequest.Raw(Envelope(w, "", Convert.ToBase64String(Flow().ToBytes()))), FaultCodes.PayloadMissing);
        yield return F(Soap, "Trasmissione element missing", w => HostileRequest.Raw(Envelope(w, "AA==", "AA==").Replace("<Trasmissione>AA==</Trasmissione>", "")), FaultCodes.PayloadMissing);
        yield return F(Soap, "Trasmissione and Flusso swapped", w =>
        {
            var flow = Flow().ToBytes();
            var header = Convert.ToBase64String(Bytes(Signed(Header(flow), w.Roma)));
            return HostileRequest.Raw(Envelope(w, Convert.ToBase64String(flow), header));
        }, FaultCodes.DocumentInvalid);
        yield return F(Soap, "payload as nested XML instead of base64", w => HostileRequest.Raw(Envelope(w, "<Trasmissione xmlns=\"urn:siuss:documents:v1\"/>", "AA==")), FaultCodes.RequestMalformed);
        yield return F(Soap, "oversized payload (over Siuss:Limits:MaxRequestBytes)", w => HostileRequest.Raw(Envelope(w, Convert.ToBase64String(new byte[450_000]), "AA==")), FaultCodes.RequestTooLarge);
        yield return F(Soap, "JSON body", w => HostileRequest.Raw("{\"Trasmissione\":\"AA==\"}", null, "application/json"), FaultCodes.UnsupportedMediaType);
        yield return F(Soap, "multipart body (SoapCore would open its first XML part)", w => HostileRequest.Raw("--b\r\nContent-Type: text/xml\r\n\r\n" + Envelope(w) + "\r\n--b--\r\n", null, "multipart/related; boundary=b; type=\"text/xml\""), FaultCodes.UnsupportedMediaType);

        // ---- XML in the envelope ----
        yield return F(Xml, "external entity", w => HostileRequest.Raw("<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + Envelope(w, "&x;", "AA==")), FaultCodes.DtdProhibited);
        yield return F(Xml, "billion laughs", w => HostileRequest.Raw(SignedHeaderAttackTests.BillionLaughs("s:Envelope") + Envelope(w, "&lol9;", "AA==")), FaultCodes.DtdProhibited);
        yield return F(Xml, "DOCTYPE after a comment", w => HostileRequest.Raw("<!-- hi --><!DOCTYPE x [<!ENTITY e \"AA==\">]>" + Envelope(w, "&e;", "AA==")), FaultCodes.DtdProhibited);
        // The processing instruction comes first in document order and is refused first.
        yield return F(Xml, "DOCTYPE after a processing instruction", w => HostileRequest.Raw("<?xml version=\"1.0\"?><?pi x?><!DOCTYPE x SYSTEM \"http://127.0.0.1:9/x.dtd\">" + Envelope(w)), FaultCodes.RequestMalformed);
        yield return F(Xml, "DOCTYPE after the XML declaration", w => HostileRequest.Raw("<?xml version=\"1.0\" encoding=\"utf-8\"?><!DOCTYPE x SYSTEM \"http://127.0.0.1:9/x.dtd\">" + Envelope(w)), FaultCodes.DtdProhibited);
        yield return F(Xml, "DOCTYPE after a UTF-8 BOM", w => HostileRequest.Raw(new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("<!DOCTYPE x [<!ENTITY e \"AA==\">]>" + Envelope(w, "&e;", "AA=="))).ToArray()), FaultCodes.DtdProhibited);
        yield return F(Xml, "deep nesting in the header (100 levels)", w => HostileRequest.Raw(Envelope(w, header: "<s:Header>" + string.Concat(Enumerable.Repeat("<x>", 100)) + string.Concat(Enumerable.Repeat("</x>", 100)) + "</s:Header>")), FaultCodes.RequestMalformed);
        yield return F(Xml, "deep nesting inside the payload element", w => HostileRequest.Raw(Envelope(w, string.Concat(Enumerable.Repeat("<x>", 100)) + string.Concat(Enumerable.Repeat("</x>", 100)), "AA==")), FaultCodes.RequestMalformed);
        yield return F(Xml, "invalid UTF-8 in the envelope", w => HostileRequest.Raw(Encoding.UTF8.GetBytes(Envelope(w)).Select((b, i) => i == 20 ? (byte)0xFF : b).ToArray()), FaultCodes.RequestMalformed);
        yield return F(Xml, "UTF-32 envelope", w => HostileRequest.Raw(new UTF32Encoding(false, true).GetPreamble().Concat(new UTF32Encoding(false, true).GetBytes(Envelope(w))).ToArray(), null, "text/xml; charset=utf-32"), FaultCodes.UnsupportedMediaType);
        yield return F(Xml, "UTF-32 envelope labelled UTF-8", w => HostileRequest.Raw(new UTF32Encoding(false, true).GetPreamble().Concat(new UTF32Encoding(false, true).GetBytes(Envelope(w))).ToArray()), FaultCodes.RequestMalformed);
        yield return F(Xml, "UTF-16 envelope with a byte order mark labelled UTF-8", w => HostileRequest.Raw(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Envelope(w))).ToArray()), FaultCodes.RequestMalformed);
        yield return F(Xml, "UTF-16 without a byte order mark", w => HostileRequest.Raw(Encoding.Unicode.GetBytes(Envelope(w)), null, "text/xml; charset=utf-16"), FaultCodes.UnsupportedMediaType);
        yield return F(Xml, "UTF-16 without a byte order mark labelled UTF-8", w => HostileRequest.Raw(Encoding.Unicode.GetBytes(Envelope(w))), FaultCodes.RequestMalformed);
        yield return F(Xml, "duplicate attribute on the envelope", w => HostileRequest.Raw(Envelope(w).Replace("<s:Envelope ", "<s:Envelope a=\"1\" a=\"2\" ")), FaultCodes.RequestMalformed);
        yield return F(Xml, "unclosed envelope", w => HostileRequest.Raw(Envelope(w).Replace("</s:Envelope>", "")), FaultCodes.RequestMalformed);
        yield return F(Xml, "undeclared prefix", w => HostileRequest.Raw(Envelope(w).Replace("<s:Body>", "<s:Body><q:x/>")), FaultCodes.RequestMalformed);
        yield return F(Xml, "huge attribute (300 KB) on the envelope", w => HostileRequest.Raw(Envelope(w).Replace("<s:Envelope ", $"<s:Envelope junk=\"{new string('A', 300_000)}\" ")), FaultCodes.RequestMalformed);
        yield return F(Xml, "two thousand attributes on the body", w => HostileRequest.Raw(Envelope(w).Replace("<s:Body>", "<s:Body " + string.Concat(Enumerable.Range(0, 2000).Select(i => $"a{i}=\"1\" ")) + ">")), FaultCodes.RequestMalformed);
        yield return F(Xml, "processing instruction inside the body", w => HostileRequest.Raw(Envelope(w).Replace("<s:Body>", "<s:Body><?evil run?>")), FaultCodes.RequestMalformed);
        yield return F(Xml, "processing instruction before the envelope", w => HostileRequest.Raw("<?xml-stylesheet href=\"http://127.0.0.1:9/x.xsl\"?>" + Envelope(w)), FaultCodes.RequestMalformed);
        yield return F(Xml, "mixed SOAP namespaces: a SOAP 1.2 Body in a 1.1 envelope", w => HostileRequest.Raw(Envelope(w).Replace("<s:Body>", $"<b:Body xmlns:b=\"{Soap12}\">").Replace("</s:Body>", "</b:Body>")), FaultCodes.RequestMalformed);
        yield return F(Xml, "entity reference without a DTD", w => HostileRequest.Raw(Envelope(w, "&e;", "AA==")), FaultCodes.RequestMalformed);
    }
}
