using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Signing;
using Siuss.Tests.Support;
using static Siuss.Tests.Support.HostileKit;

namespace Siuss.Tests.Hostile;

/// <summary>
/// Attacks on the signed Trasmissione: hostile XML in the header and the XML Signature Wrapping family.
/// Every one is a SOAP fault with its exact code (or, once the sender is known, a refusing receipt) and nothing stored.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class SignedHeaderAttackTests(string engine) : HostileFixture(engine)
{
    [TestCaseSource(nameof(Cases))]
    public async Task Hostile_header_is_refused_and_nothing_stored(HostileCase c) => await World.AssertAsync(c);

    private const string Xml = "XML in the signed header";
    private const string Wrap = "Signature wrapping";
    private const string Profile = "Signature profile";
    private const string Keys = "Certificates and signers";
    private const string Tamper = "Tampering after signing";
    private const string Payload = "Header payload";

    private static HostileCase F(string cls, string name, Func<HostileWorld, HostileRequest> build, string code) =>
        new(cls, name, build, Expectation.Fault(code));
    private static HostileCase R(string cls, string name, Func<HostileWorld, HostileRequest> build, string code) =>
        new(cls, name, build, Expectation.Refused(code));

    public static IEnumerable<TestCaseData> Cases() => All().Select(c => c.ToTestCase());

    public static IEnumerable<HostileCase> All()
    {
        // ---- XML in the signed header ----
        yield return F(Xml, "internal entity in a DTD", w => EditSignedText(w, t => "<!DOCTYPE Trasmissione [<!ENTITY e \"H501\">]>" + StripDecl(t)), FaultCodes.DtdProhibited);
        yield return F(Xml, "external entity (file:///etc/passwd)", w => EditSignedText(w,
            t => "<!DOCTYPE Trasmissione [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + StripDecl(t).Replace("<CodiceEnte>H501", "<CodiceEnte>&x;H501")), FaultCodes.DtdProhibited);
        yield return F(Xml, "external DTD over HTTP", w => EditSignedText(w, t => "<!DOCTYPE Trasmissione SYSTEM \"http://127.0.0.1:9/evil.dtd\">" + StripDecl(t)), FaultCodes.DtdProhibited);
        yield return F(Xml, "parameter entity", w => EditSignedText(w, t => "<!DOCTYPE Trasmissione [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/p\"> %p;]>" + StripDecl(t)), FaultCodes.DtdProhibited);
        yield return F(Xml, "billion laughs", w => EditSignedText(w, t => BillionLaughs("Trasmissione") + StripDecl(t).Replace("<CodiceEnte>H501", "<CodiceEnte>&lol9;H501")), FaultCodes.DtdProhibited);
        yield return F(Xml, "deep nesting (48 levels) inside the signed header", w => EditThenSign(w, d =>
        {
            var target = Select(d, "//t:NomeFlusso");
            XmlNode parent = target;
            for (int i = 0; i < 48; i++) parent = parent.AppendChild(d.CreateElement("n", Namespaces.Documents))!;
        }), FaultCodes.XmlMalformed);
        yield return F(Xml, "huge attribute (40 KB) on the signed root", w => EditThenSign(w, d => d.DocumentElement!.SetAttribute("x", new string('A', 40_000))), FaultCodes.DocumentInvalid);
        yield return F(Xml, "header over the signed-document limit (70 KB)", w => EditThenSign(w, d => d.DocumentElement!.SetAttribute("x", new string('A', 70_000))), FaultCodes.RequestTooLarge);
        yield return F(Xml, "invalid UTF-8 byte sequence in CodiceEnte", w =>
        {
            var r = EditSigned(w, _ => { });
            var bytes = r.Trasmissione!.ToList();
            int at = IndexOf(r.Trasmissione!, "H501</CodiceEnte>"u8.ToArray());
            bytes.InsertRange(at, new byte[] { 0xC3, 0x28 });
            return HostileRequest.Wcf(bytes.ToArray(), r.Flusso);
        }, FaultCodes.XmlMalformed);
        yield return F(Xml, "overlong UTF-8 encoding of '<'", w =>
        {
            var r = EditSigned(w, _ => { });
            var bytes = r.Trasmissione!.ToList();
            bytes.InsertRange(IndexOf(r.Trasmissione!, "H501</CodiceEnte>"u8.ToArray()), new byte[] { 0xC0, 0xBC });
            return HostileRequest.Wcf(bytes.ToArray(), r.Flusso);
        }, FaultCodes.XmlMalformed);
        yield return F(Xml, "declared UTF-16 but sent as UTF-8", w => EditSignedText(w, t => "<?xml version=\"1.0\" encoding=\"utf-16\"?>" + StripDecl(t)), FaultCodes.XmlMalformed);
        yield return F(Xml, "re-encoded as UTF-16 with a BOM", w =>
        {
            var r = EditSigned(w, _ => { });
            var text = "<?xml version=\"1.0\" encoding=\"utf-16\"?>" + StripDecl(Encoding.UTF8.GetString(r.Trasmissione!));
            return HostileRequest.Wcf(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray(), r.Flusso);
        }, FaultCodes.XmlMalformed);
        yield return F(Xml, "re-encoded as ISO-8859-1", w =>
        {
            var r = EditSigned(w, _ => { });
            var text = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + StripDecl(Encoding.UTF8.GetString(r.Trasmissione!));
            return HostileRequest.Wcf(Encoding.Latin1.GetBytes(text), r.Flusso);
        }, FaultCodes.XmlMalformed);
        yield return F(Xml, "two byte order marks", w =>
        {
            var r = EditSigned(w, _ => { });
            return HostileRequest.Wcf(new byte[] { 0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF }.Concat(r.Trasmissione!).ToArray(), r.Flusso);
        }, FaultCodes.XmlMalformed);
        yield return F(Xml, "processing instruction added inside the signed root", w => EditSigned(w, d =>
            d.DocumentElement!.InsertBefore(d.CreateProcessingInstruction("evil", "run"), d.DocumentElement.FirstChild)), FaultCodes.DocumentInvalid);
        yield return F(Xml, "xml-stylesheet processing instruction before the root", w => EditSigned(w, d =>
            d.InsertBefore(d.CreateProcessingInstruction("xml-stylesheet", "href=\"http://127.0.0.1:9/x.xsl\""), d.DocumentElement)), FaultCodes.DocumentInvalid);
        yield return F(Xml, "processing instruction signed with the header", w => EditThenSign(w, d =>
            Select(d, "//t:CodiceEnte").AppendChild(d.CreateProcessingInstruction("evil", "x"))), FaultCodes.DocumentInvalid);
        yield return F(Xml, "comment splitting CodiceEnte added after signing", w => EditSignedText(w, t => t.Replace("<CodiceEnte>H501", "<CodiceEnte>H5<!---->01")), FaultCodes.DocumentInvalid);
        yield return F(Xml, "comment inside the signed content, signed", w => EditThenSign(w, d =>
            Select(d, "//t:NomeFlusso").AppendChild(d.CreateComment("F205"))), FaultCodes.DocumentInvalid);
        yield return F(Xml, "comment inside SignedInfo", w => EditSigned(w, d =>
            Select(d, "//ds:SignedInfo").AppendChild(d.CreateComment("x"))), FaultCodes.DocumentInvalid);
        yield return F(Xml, "root in a foreign namespace", w => EditSignedText(w, t => t.Replace("xmlns=\"urn:siuss:documents:v1\"", "xmlns=\"urn:evil\"")), FaultCodes.DocumentInvalid);
        yield return F(Xml, "a field in a foreign namespace, signed", w => EditThenSign(w, d =>
        {
            var old = Select(d, "//t:CodiceEnte");
            var evil = d.CreateElement("CodiceEnte", "urn:evil");
            evil.InnerText = "H501";
            old.ParentNode!.ReplaceChild(evil, old);
        }), FaultCodes.DocumentInvalid);
        yield return F(Xml, "Signature element in a foreign namespace", w => EditSignedText(w, t => t.Replace(Ds, "http://www.w3.org/2009/xmldsig11#")), FaultCodes.SignatureMissing);
        yield return F(Xml, "prefix redeclared to another namespace mid-document", w => EditSignedText(w,
            t => t.Replace("<CodiceEnte>H501</CodiceEnte>", "<x:CodiceEnte xmlns:x=\"urn:evil\">H501</x:CodiceEnte>")), FaultCodes.SignatureInvalid);
        yield return F(Xml, "duplicate attribute", w => EditSignedText(w, t => t.Replace("<Trasmissione ", "<Trasmissione a=\"1\" a=\"2\" ")), FaultCodes.XmlMalformed);
        yield return F(Xml, "duplicate namespace declaration", w => EditSignedText(w, t => t.Replace("<Trasmissione ", "<Trasmissione xmlns:p=\"urn:a\" xmlns:p=\"urn:b\" ")), FaultCodes.XmlMalformed);
        yield return F(Xml, "text after the root element", w => EditSignedText(w, t => t + "<Trasmissione/>"), FaultCodes.XmlMalformed);
        yield return F(Xml, "NUL character reference", w => EditSignedText(w, t => t.Replace("<CodiceEnte>H501", "<CodiceEnte>&#0;H501")), FaultCodes.XmlMalformed);

        // ---- Signature wrapping ----
        yield return F(Wrap, "evil root wrapping the signed header", w =>
        {
            var flow = Flow().ToBytes();
            var signed = Signed(Header(flow), w.Roma);
            var evil = Header(flow, ente: "F205");
            evil.DocumentElement!.AppendChild(evil.ImportNode(signed.DocumentElement!, true));
            return HostileRequest.Wcf(Bytes(evil), flow);
        }, FaultCodes.SignatureProfileViolation);
        yield return F(Wrap, "signature moved to the evil root, original inside ds:Object", w =>
        {
            var flow = Flow().ToBytes();
            var signed = Signed(Header(flow), w.Roma);
            var evil = Header(Flow().ToBytes());
            var signature = (XmlElement)evil.ImportNode(Select(signed, "//ds:Signature"), true);
            var original = evil.ImportNode(signed.DocumentElement!, true);
            original.RemoveChild(original.LastChild!);
            var obj = evil.CreateElement("ds", "Object", Ds);
            obj.AppendChild(original);
            signature.AppendChild(obj);
            evil.DocumentElement!.AppendChild(signature);
            return HostileRequest.Wcf(Bytes(evil), flow);
        }, FaultCodes.SignatureProfileViolation); // the ds:Object alone is refused: it is never covered by the signature
        yield return F(Wrap, "second Trasmissione beside the signed one", w =>
        {
            var flow = Flow().ToBytes();
            var signed = Text(Signed(Header(flow), w.Roma));
            var evil = StripDecl(Text(Header(flow, ente: "F205")));
            return HostileRequest.Wcf(Utf8("<Wrapper>" + StripDecl(signed) + evil + "</Wrapper>"), flow);
        }, FaultCodes.DocumentInvalid);
        yield return F(Wrap, "second Trasmissione inside the signed one (signed)", w => EditThenSign(w, d =>
            d.DocumentElement!.AppendChild(d.ImportNode(Header(Flow("F205").ToBytes(), "F205").DocumentElement!, true))), FaultCodes.DocumentInvalid);
        yield return F(Wrap, "second CodiceEnte added after signing", w => EditSigned(w, d =>
        {
            var extra = d.CreateElement("CodiceEnte", Namespaces.Documents);
            extra.InnerText = "F205";
            d.DocumentElement!.InsertBefore(extra, Select(d, "//t:CodiceEnte"));
        }), FaultCodes.SignatureInvalid);
        yield return F(Wrap, "signature moved inside another element", w => EditSigned(w, d =>
            Select(d, "//t:NomeFlusso").AppendChild(Select(d, "//ds:Signature"))), FaultCodes.SignatureProfileViolation);
        yield return F(Wrap, "signature moved to the front of the root", w => EditSigned(w, d =>
            d.DocumentElement!.PrependChild(Select(d, "//ds:Signature"))), FaultCodes.DocumentInvalid);
        yield return F(Wrap, "a second signature by another body inside ds:Object", w =>
        {
            var flow = Flow().ToBytes();
            var header = Signed(Header(flow), w.Roma);
            var other = Signed(Header(flow, "F205"), w.Milano);
            var obj = header.CreateElement("ds", "Object", Ds);
            obj.AppendChild(header.ImportNode(Select(other, "//ds:Signature"), true));
            Select(header, "//ds:Signature").AppendChild(obj);
            return HostileRequest.Wcf(Bytes(header), flow);
        }, FaultCodes.SignatureProfileViolation);
        yield return F(Wrap, "reference to an element id", w =>
        {
            var flow = Flow().ToBytes();
            var header = Header(flow);
            header.DocumentElement!.SetAttribute("Id", "t1");
            CustomSigner.Sign(header, w.Roma, uri: "#t1");
            return HostileRequest.Wcf(Bytes(header), flow);
        }, FaultCodes.SignatureProfileViolation);
        yield return F(Wrap, "reference URI pointing outside (http)", w => EditSigned(w, d => Select(d, "//ds:Reference").SetAttribute("URI", "http://127.0.0.1:9/evil.xml")), FaultCodes.SignatureProfileViolation);
        yield return F(Wrap, "reference URI pointing outside (file)", w => EditSigned(w, d => Select(d, "//ds:Reference").SetAttribute("URI", "file:///etc/passwd")), FaultCodes.SignatureProfileViolation);
        yield return F(Wrap, "reference URI #xpointer(/)", w => EditSigned(w, d => Select(d, "//ds:Reference").SetAttribute("URI", "#xpointer(/)")), FaultCodes.SignatureProfileViolation);
        yield return F(Wrap, "reference without URI", w => EditSigned(w, d => Select(d, "//ds:Reference").RemoveAttribute("URI")), FaultCodes.SignatureProfileViolation);
        yield return F(Wrap, "two references", w => EditSigned(w, d =>
        {
            var reference = Select(d, "//ds:Reference");
            reference.ParentNode!.AppendChild(reference.CloneNode(true));
        }), FaultCodes.SignatureProfileViolation);

        // ---- Signature profile ----
        yield return F(Profile, "HMAC-SHA256 keyed with a guessable key", w => HmacSigned(w, new HMACSHA256(new byte[32])), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "HMAC-SHA1", w => HmacSigned(w, new HMACSHA1(new byte[20])), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "HMAC truncated output length", w =>
        {
            var r = HmacSigned(w, new HMACSHA256(new byte[32]));
            var text = Encoding.UTF8.GetString(r.Trasmissione!).Replace("hmac-sha256\" />", "hmac-sha256\"><HMACOutputLength>8</HMACOutputLength></SignatureMethod>")
                .Replace("hmac-sha256\"/>", "hmac-sha256\"><HMACOutputLength>8</HMACOutputLength></SignatureMethod>");
            return HostileRequest.Wcf(Utf8(text), r.Flusso);
        }, FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "RSA-MD5 signature method", w => EditSigned(w, d => Select(d, "//ds:SignatureMethod").SetAttribute("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#rsa-md5")), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "DSA-SHA1 signature method", w => EditSigned(w, d => Select(d, "//ds:SignatureMethod").SetAttribute("Algorithm", "http://www.w3.org/2000/09/xmldsig#dsa-sha1")), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "ECDSA-SHA1 signature method", w => EditSigned(w, d => Select(d, "//ds:SignatureMethod").SetAttribute("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1")), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "MD5 digest", w => EditSigned(w, d => Select(d, "//ds:DigestMethod").SetAttribute("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#md5")), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "SHA-224 digest", w => EditSigned(w, d => Select(d, "//ds:DigestMethod").SetAttribute("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#sha224")), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "inclusive c14n as the reference transform", w => Custom(w, transforms: () => [new XmlDsigEnvelopedSignatureTransform(), new XmlDsigC14NTransform()]), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "inclusive c14n 1.1 canonicalization", w => EditSigned(w, d => Select(d, "//ds:CanonicalizationMethod").SetAttribute("Algorithm", "http://www.w3.org/2006/12/xml-c14n11")), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "exclusive c14n with comments as canonicalization", w => EditSigned(w, d => Select(d, "//ds:CanonicalizationMethod").SetAttribute("Algorithm", "http://www.w3.org/2001/10/xml-exc-c14n#WithComments")), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "XSLT transform", w => AddTransform(w, "http://www.w3.org/TR/1999/REC-xslt-19991116",
            "<xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" version=\"1.0\"><xsl:template match=\"/\"><x/></xsl:template></xsl:stylesheet>"), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "XPath transform", w => AddTransform(w, "http://www.w3.org/TR/1999/REC-xpath-19991116", "<XPath xmlns=\"http://www.w3.org/2000/09/xmldsig#\">not(ancestor-or-self::*)</XPath>"), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "XPath Filter 2.0 transform", w => AddTransform(w, "http://www.w3.org/2002/06/xmldsig-filter2", "<XPath xmlns=\"http://www.w3.org/2002/06/xmldsig-filter2\" Filter=\"subtract\">/</XPath>"), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "base64 transform", w => AddTransform(w, "http://www.w3.org/2000/09/xmldsig#base64", ""), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "no transforms", w => Custom(w, transforms: () => []), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "transforms in the reverse order", w => Custom(w, transforms: () => [new XmlDsigExcC14NTransform(), new XmlDsigEnvelopedSignatureTransform()]), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "ECDSA method with an RSA certificate", w => EditSigned(w, d => Select(d, "//ds:SignatureMethod").SetAttribute("Algorithm", SignatureAlgorithms.EcdsaSha256)), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "KeyValue instead of X509Data", w => EditSigned(w, d =>
        {
            var keyInfo = Select(d, "//ds:KeyInfo");
            keyInfo.InnerXml = "<KeyValue xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><RSAKeyValue><Modulus>AQAB</Modulus><Exponent>AQAB</Exponent></RSAKeyValue></KeyValue>";
        }), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "X509Data with only an issuer serial", w => EditSigned(w, d =>
            Select(d, "//ds:X509Data").InnerXml = "<X509IssuerSerial xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><X509IssuerName>CN=Comune di Roma, O=H501</X509IssuerName><X509SerialNumber>1</X509SerialNumber></X509IssuerSerial>"), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "two certificates in X509Data (pinned + stranger)", w => EditSigned(w, d =>
        {
            var data = Select(d, "//ds:X509Data");
            var second = d.CreateElement("X509Certificate", Ds);
            second.InnerText = Convert.ToBase64String(w.Stranger.RawData);
            data.AppendChild(second);
        }), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "garbage in X509Certificate", w => EditSigned(w, d => Select(d, "//ds:X509Certificate").InnerText = "AAAA"), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "X509Certificate that is not base64", w => EditSigned(w, d => Select(d, "//ds:X509Certificate").InnerText = "!!!"), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "SignatureValue that is not base64", w => EditSigned(w, d => Select(d, "//ds:SignatureValue").InnerText = "%%%"), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "DigestValue that is not base64", w => EditSigned(w, d => Select(d, "//ds:DigestValue").InnerText = "%%%"), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "empty SignatureValue", w => EditSigned(w, d => Select(d, "//ds:SignatureValue").InnerText = ""), FaultCodes.SignatureInvalid);
        yield return F(Profile, "Signature without SignedInfo", w => EditSigned(w, d => { var s = Select(d, "//ds:SignedInfo"); s.ParentNode!.RemoveChild(s); }), FaultCodes.SignatureProfileViolation);
        yield return F(Profile, "ds:Signature that is empty", w => EditSigned(w, d => Select(d, "//ds:Signature").InnerXml = ""), FaultCodes.SignatureProfileViolation);

        // ---- Certificates and signers ----
        yield return F(Keys, "pinned key, but KeyInfo carries a stranger's certificate", w => EditSigned(w, d =>
            Select(d, "//ds:X509Certificate").InnerText = Convert.ToBase64String(w.Stranger.RawData)), FaultCodes.SignatureInvalid);
        yield return F(Keys, "pinned certificate in KeyInfo, signed with another key", w =>
        {
            var flow = Flow().ToBytes();
            var header = Signed(Header(flow), w.Stranger);
            Select(header, "//ds:X509Certificate").InnerText = Convert.ToBase64String(w.Roma.RawData);
            return HostileRequest.Wcf(Bytes(header), flow);
        }, FaultCodes.SignatureInvalid);
        yield return F(Keys, "look-alike with the same subject and serial number", w => SignedFlow(Flow().ToBytes(), w.RomaTwin), FaultCodes.CertificateNotRegistered);
        yield return F(Keys, "a stranger's certificate", w => SignedFlow(Flow().ToBytes(), w.Stranger), FaultCodes.CertificateNotRegistered);
        yield return F(Keys, "not yet valid certificate", w => SignedFlow(Flow("A944").ToBytes(), w.NotYetValid, "A944"), FaultCodes.CertificateExpired);
        yield return F(Keys, "DataOra before a valid certificate was issued", w =>
        {
            var flow = Flow("D612").ToBytes();
            return HostileRequest.Wcf(Bytes(Signed(Header(flow, "D612", dataOra: DateTime.UtcNow.AddDays(-2)), w.RecentlyIssued)), flow);
        }, FaultCodes.CertificateExpired);
        yield return F(Keys, "revoked certificate backdated to before the revocation", w =>
        {
            var flow = Flow("F839").ToBytes();
            return HostileRequest.Wcf(Bytes(Signed(Header(flow, "F839", dataOra: DateTime.UtcNow.AddDays(-3)), w.Revoked)), flow);
        }, FaultCodes.CertificateRevoked);
        yield return F(Keys, "body A (ECDSA) claiming body B", w => SignedFlow(Flow().ToBytes(), w.Milano), FaultCodes.CertificateNotRegistered);
        yield return F(Keys, "CodiceEnte in another case", w => SignedFlow(Flow().ToBytes(), w.Roma, ente: "h501"), FaultCodes.AgencyUnknown);
        yield return F(Keys, "CodiceEnte with trailing whitespace", w => EditThenSign(w, d => Select(d, "//t:CodiceEnte").InnerText = "H501 "), FaultCodes.DocumentInvalid);

        // ---- Tampering after signing ----
        yield return F(Tamper, "HashFlusso changed", w => EditSigned(w, d => Select(d, "//t:HashFlusso").InnerText = new string('0', 64)), FaultCodes.SignatureInvalid);
        yield return F(Tamper, "CodiceEnte changed", w => EditSigned(w, d => Select(d, "//t:CodiceEnte").InnerText = "F205"), FaultCodes.SignatureInvalid);
        yield return F(Tamper, "TipoFlusso changed", w => EditSigned(w, d => Select(d, "//t:TipoFlusso").InnerText = "SINBA"), FaultCodes.SignatureInvalid);
        yield return F(Tamper, "one bit of SignatureValue flipped", w => EditSigned(w, d =>
        {
            var value = Select(d, "//ds:SignatureValue");
            var bytes = Convert.FromBase64String(value.InnerText);
            bytes[10] ^= 1;
            value.InnerText = Convert.ToBase64String(bytes);
        }), FaultCodes.SignatureInvalid);
        yield return F(Tamper, "DigestValue replaced by the digest of an evil document", w => EditSigned(w, d =>
            Select(d, "//ds:DigestValue").InnerText = Convert.ToBase64String(SHA256.HashData("evil"u8))), FaultCodes.SignatureInvalid);
        yield return F(Tamper, "whitespace between elements", w => EditSignedText(w, t => t.Replace("</CodiceEnte><", "</CodiceEnte>\n  <")), FaultCodes.SignatureInvalid);
        yield return F(Tamper, "whitespace inside SignedInfo", w => EditSignedText(w, t => t.Replace("<SignedInfo>", "<SignedInfo>\n")), FaultCodes.SignatureInvalid);
        yield return F(Tamper, "attribute added to the root", w => EditSigned(w, d => d.DocumentElement!.SetAttribute("extra", "1")), FaultCodes.SignatureInvalid);
        yield return F(Tamper, "CDATA replacing text with another value", w => EditSignedText(w, t => t.Replace("<CodiceEnte>H501</CodiceEnte>", "<CodiceEnte><![CDATA[F205]]></CodiceEnte>")), FaultCodes.SignatureInvalid);
        yield return F(Tamper, "the same IdMessaggio reused for another header", w =>
        {
            var id = Guid.NewGuid();
            var first = Flow().ToBytes();
            var firstHeader = Bytes(Signed(Header(first, id: id), w.Roma));
            var client = w.Register.NewClient();
            client.SubmitAsync(firstHeader, first).GetAwaiter().GetResult();
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            var second = Flow().ToBytes();
            return HostileRequest.Wcf(Bytes(Signed(Header(second, id: id), w.Roma)), second);
        }, FaultCodes.MessageIdReused);
        yield return F(Tamper, "the same IdMessaggio in upper case for another header (UUIDs are case-insensitive)", w =>
        {
            var id = Guid.NewGuid();
            var first = Flow().ToBytes();
            var client = w.Register.NewClient();
            client.SubmitAsync(Bytes(Signed(Header(first, id: id), w.Roma)), first).GetAwaiter().GetResult();
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            var second = Flow().ToBytes();
            var header = Header(second, id: id);
            Select(header, "//t:IdMessaggio").InnerText = id.ToString().ToUpperInvariant();
            return HostileRequest.Wcf(Bytes(Signed(header, w.Roma)), second);
        }, FaultCodes.MessageIdReused);

        // ---- Header payload ----
        yield return F(Payload, "whitespace only", w => HostileRequest.Wcf(Utf8("   \n "), Flow().ToBytes()), FaultCodes.XmlMalformed);
        yield return F(Payload, "random binary", w => HostileRequest.Wcf(RandomNumberGenerator.GetBytes(2000), Flow().ToBytes()), FaultCodes.XmlMalformed);
        yield return F(Payload, "a gzip bomb header", w => HostileRequest.Wcf([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3], Flow().ToBytes()), FaultCodes.XmlMalformed);
        yield return F(Payload, "the flow sent as header", w => { var f = Flow().ToBytes(); return HostileRequest.Wcf(f, f); }, FaultCodes.DocumentInvalid);
        yield return F(Payload, "empty flow with a valid header", w => HostileRequest.Wcf(Bytes(Signed(Header(Flow().ToBytes()), w.Roma)), []), FaultCodes.PayloadMissing);
        yield return F(Payload, "DataOra without time zone (signed)", w => EditThenSign(w, d => Select(d, "//t:DataOra").InnerText = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss")), FaultCodes.DocumentInvalid);
        yield return F(Payload, "DataOra with a +15:00 offset (outside xs:dateTime)", w => EditThenSign(w, d => Select(d, "//t:DataOra").InnerText = DateTime.UtcNow.AddHours(15).ToString("yyyy-MM-ddTHH:mm:ss") + "+15:00"), FaultCodes.DocumentInvalid);
        yield return F(Payload, "DataOra with 13 fractional digits", w => EditThenSign(w, d => Select(d, "//t:DataOra").InnerText = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss") + ".1234567890123Z"), FaultCodes.DocumentInvalid);
        yield return F(Payload, "DataOra with a five-digit year", w => EditThenSign(w, d => Select(d, "//t:DataOra").InnerText = "12026-01-01T00:00:00Z"), FaultCodes.DocumentInvalid);
        yield return F(Payload, "DataOra year 9999", w => EditThenSign(w, d => Select(d, "//t:DataOra").InnerText = "9999-12-31T23:59:59Z"), FaultCodes.CertificateExpired);
        yield return F(Payload, "DataOra year 0001", w => EditThenSign(w, d => Select(d, "//t:DataOra").InnerText = "0001-01-01T00:00:00Z"), FaultCodes.CertificateExpired);
        yield return F(Payload, "IdMessaggio not a UUID", w => EditThenSign(w, d => Select(d, "//t:IdMessaggio").InnerText = "1 OR 1=1"), FaultCodes.DocumentInvalid);
        yield return F(Payload, "negative DimensioneFlusso", w => EditThenSign(w, d => Select(d, "//t:DimensioneFlusso").InnerText = "-1"), FaultCodes.DocumentInvalid);
        yield return F(Payload, "DimensioneFlusso past Int64", w => EditThenSign(w, d => Select(d, "//t:DimensioneFlusso").InnerText = "99999999999999999999999"), FaultCodes.DocumentInvalid);
        yield return F(Payload, "unknown TipoFlusso", w => EditThenSign(w, d => Select(d, "//t:TipoFlusso").InnerText = "PS"), FaultCodes.DocumentInvalid);
        yield return F(Payload, "NomeFlusso over 50 characters", w => EditThenSign(w, d => Select(d, "//t:NomeFlusso").InnerText = new string('N', 51)), FaultCodes.DocumentInvalid);
        yield return F(Payload, "CodiceEnte over 32 characters", w => EditThenSign(w, d => Select(d, "//t:CodiceEnte").InnerText = new string('H', 33)), FaultCodes.DocumentInvalid);
        yield return F(Payload, "HashFlusso in upper case", w => EditThenSign(w, d => Select(d, "//t:HashFlusso").InnerText = Select(d, "//t:HashFlusso").InnerText.ToUpperInvariant()), FaultCodes.DocumentInvalid);

        // ---- Flow bytes against the signed digest and size (refused after authentication) ----
        yield return R(Wrap, "flow bytes differ from the signed digest", w =>
        {
            var flow = Flow().ToBytes();
            var header = Bytes(Signed(Header(flow), w.Roma));
            var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(flow).Replace("150.00", "950.00"));
            return HostileRequest.Wcf(header, tampered);
        }, Siuss.Service.Rules.RuleCodes.FlowDigestMismatch);
        yield return R(Wrap, "flow truncated by one byte", w =>
        {
            var flow = Flow().ToBytes();
            return HostileRequest.Wcf(Bytes(Signed(Header(flow), w.Roma)), flow[..^1]);
        }, Siuss.Service.Rules.RuleCodes.FlowSizeMismatch);
        yield return R(Wrap, "signed size differs from the flow", w =>
        {
            var flow = Flow().ToBytes();
            return HostileRequest.Wcf(Bytes(Signed(Header(flow, size: flow.Length + 1), w.Roma)), flow);
        }, Siuss.Service.Rules.RuleCodes.FlowSizeMismatch);
        yield return R(Wrap, "flow of another flow name with the same size", w =>
        {
            var flow = Flow().ToBytes();
            var other = Flow().ToBytes();
            return HostileRequest.Wcf(Bytes(Signed(Header(flow, size: other.Length), w.Roma)), other);
        }, Siuss.Service.Rules.RuleCodes.FlowDigestMismatch);
    }

    private static string StripDecl(string text) =>
        text.StartsWith("<?xml", StringComparison.Ordinal) ? text[(text.IndexOf("?>", StringComparison.Ordinal) + 2)..] : text;

    internal static string BillionLaughs(string root)
    {
        var sb = new StringBuilder($"<!DOCTYPE {root} [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++)
            sb.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat(i == 1 ? "&lol;" : $"&lol{i - 1};", 10))}\">");
        return sb.Append("]>").ToString();
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("needle not found");
    }

    private static HostileRequest HmacSigned(HostileWorld w, KeyedHashAlgorithm key)
    {
        var flow = Flow().ToBytes();
        var header = Header(flow);
        var signedXml = new SignedXml(header);
        signedXml.SignedInfo!.CanonicalizationMethod = SignatureAlgorithms.ExclusiveC14N;
        var reference = new Reference("") { DigestMethod = SignatureAlgorithms.Sha256 };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(w.Roma));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature(key);
        header.DocumentElement!.AppendChild(header.ImportNode(signedXml.GetXml(), true));
        return HostileRequest.Wcf(Bytes(header), flow);
    }

    private static HostileRequest Custom(HostileWorld w, Func<Transform[]> transforms)
    {
        var flow = Flow().ToBytes();
        return HostileRequest.Wcf(Bytes(CustomSigner.Sign(Header(flow), w.Roma, transforms: transforms)), flow);
    }

    private static HostileRequest AddTransform(HostileWorld w, string algorithm, string innerXml) => EditSigned(w, d =>
    {
        var transforms = Select(d, "//ds:Transforms");
        var transform = d.CreateElement("Transform", Ds);
        transform.SetAttribute("Algorithm", algorithm);
        transform.InnerXml = innerXml;
        transforms.AppendChild(transform);
    });
}
