using System.Xml;
using Siuss.Contracts;
using Siuss.Signing;
using Siuss.Tests.Support;
using static Siuss.Tests.Support.HostileKit;

namespace Siuss.Tests.Hostile;

/// <summary>
/// The product's signature check against SignedXml's own, on every signed-header attack and on valid
/// headers: both must refuse the same documents for the same reason and name the same signer.
/// </summary>
[TestFixture]
public sealed class VerifierAgreementTests : HostileFixture
{
    public static IEnumerable<TestCaseData> Cases() =>
        SignedHeaderAttackTests.All().Concat(Valid()).Concat(Shapes()).Select(c => new TestCaseData(c).SetName("agree on " + c));

    public static IEnumerable<TestCaseData> ShapeCases() => Shapes().Select(c => new TestCaseData(c).SetName("SignedXml says " + c.Expect.Code + " on " + c));

    // The shapes below exist to test the product verifier's own reading of the signature; this proves each one
    // means what its name says (the agreement test alone would pass if both verifiers refused a broken case).
    [TestCaseSource(nameof(ShapeCases))]
    public void The_reference_gives_the_shape_its_intended_outcome(HostileCase c)
    {
        var document = SafeXml.LoadDocument(c.Build(World).Trasmissione!, 1_000_000);
        var reference = ReferenceSignatureVerifier.Verify(document);
        Assert.That(reference.Failure?.ToString() ?? "OK", Is.EqualTo(c.Expect.Code), reference.Detail);
    }

    [TestCaseSource(nameof(Cases))]
    public void The_verifier_agrees_with_SignedXml(HostileCase c)
    {
        var request = c.Build(World);
        XmlDocument document;
        try
        {
            document = SafeXml.LoadDocument(request.Trasmissione ?? [], 1_000_000);
        }
        catch (Exception e) when (e is XmlException or UnsafeXmlException)
        {
            Assert.Pass("Refused by the parser, before any signature check.");
            return;
        }

        var product = SignatureProfileVerifier.Verify(document);
        var reference = ReferenceSignatureVerifier.Verify(document);

        Assert.That(product.Failure, Is.EqualTo(reference.Failure), $"product: {product.Detail} / SignedXml: {reference.Detail}");
        Assert.That(product.Certificate?.RawData, Is.EqualTo(reference.Certificate?.RawData));
    }

    [Test]
    public void Checking_a_signature_leaves_the_document_as_it_was()
    {
        var document = Signed(Header(Flow().ToBytes()), World.Roma);
        var before = document.OuterXml;

        Assert.That(SignatureProfileVerifier.Verify(document).IsValid, Is.True);
        Assert.That(document.OuterXml, Is.EqualTo(before));
    }

    // Signature shapes the register's signers never write, each re-signed where it stands (so a verifier that
    // canonicalizes SignedInfo or the document differently from SignedXml disagrees), or edited after signing.
    private static IEnumerable<HostileCase> Shapes()
    {
        const string Shape = "Shape";
        const string Ok = "OK";
        const string Profile = nameof(SignatureFailure.ProfileViolation);
        const string Invalid = nameof(SignatureFailure.Invalid);
        HostileCase Resigned(string name, Action<XmlDocument> edit, string outcome = Ok) => new(Shape, name, w =>
        {
            var flow = Flow().ToBytes();
            var header = Signed(Header(flow), w.Roma);
            edit(header);
            return HostileRequest.Wcf(Bytes(InPlaceSigner.Resign(header, w.Roma)), flow);
        }, Expectation.Refused(outcome));
        HostileCase Edited(string name, Action<XmlDocument> edit, string outcome) => new(Shape, name, w => EditSigned(w, edit), Expectation.Refused(outcome));
        XmlElement Ds(XmlDocument d, string name) => Select(d, "//ds:" + name);
        XmlElement Child(XmlDocument d, string name, string ns = HostileKit.Ds) => d.CreateElement(name, ns);

        yield return Resigned("ds prefix declared on the root, not on the Signature", d =>
        {
            d.DocumentElement!.SetAttribute("xmlns:ds", HostileKit.Ds);
            var signature = Ds(d, "Signature");
            d.DocumentElement.ReplaceChild(InPlaceSigner.WithDsPrefix(d, signature), signature);
        });
        yield return Resigned("ds prefix declared on the Signature", d =>
        {
            var signature = Ds(d, "Signature");
            var prefixed = InPlaceSigner.WithDsPrefix(d, signature);
            prefixed.SetAttribute("xmlns:ds", HostileKit.Ds);
            d.DocumentElement!.ReplaceChild(prefixed, signature);
        });
        yield return Resigned("the ds prefix bound on the root to another namespace, rebound on the Signature", d =>
        {
            d.DocumentElement!.SetAttribute("xmlns:ds", "urn:not-dsig");
            var signature = Ds(d, "Signature");
            var prefixed = InPlaceSigner.WithDsPrefix(d, signature);
            prefixed.SetAttribute("xmlns:ds", HostileKit.Ds);
            d.DocumentElement.ReplaceChild(prefixed, signature);
        });
        yield return Resigned("a prefixed element and attributes from the root's namespaces inside SignatureMethod", d =>
        {
            d.DocumentElement!.SetAttribute("xmlns:u", "urn:u");
            d.DocumentElement.SetAttribute("xmlns:v", "urn:v");
            var extra = d.CreateElement("u", "Extra", "urn:u");
            extra.SetAttribute("b", "2");
            extra.SetAttributeNode(d.CreateAttribute("v", "a", "urn:v"))!.Value = "1";
            extra.SetAttributeNode(d.CreateAttribute("u", "a", "urn:u"))!.Value = "0";
            Ds(d, "SignatureMethod").AppendChild(extra);
        });
        yield return Resigned("an element in no namespace inside DigestMethod under the ds default namespace", d =>
            Ds(d, "DigestMethod").AppendChild(d.CreateElement("Plain", "")));
        yield return Resigned("unused namespace declarations and xml attributes on SignedInfo", d =>
        {
            var signedInfo = Ds(d, "SignedInfo");
            signedInfo.SetAttribute("xmlns:unused", "urn:unused");
            signedInfo.SetAttribute("xml:lang", "it");
            signedInfo.SetAttribute("Id", "si");
        });
        yield return Resigned("whitespace, line breaks and a comment inside SignedInfo", d =>
        {
            var signedInfo = Ds(d, "SignedInfo");
            signedInfo.PrependChild(d.CreateWhitespace("\n  "));
            Ds(d, "Reference").AppendChild(d.CreateWhitespace("\n\t"));
            Ds(d, "Transforms").PrependChild(d.CreateComment(" transforms "));
        });
        yield return Resigned("Reference attributes in another order, with Id and Type", d =>
        {
            var reference = Ds(d, "Reference");
            reference.RemoveAttribute("URI");
            reference.SetAttribute("Type", "urn:type");
            reference.SetAttribute("Id", "r1");
            reference.SetAttribute("URI", "");
        });
        yield return Resigned("escapable characters in SignedInfo attribute values and text", d =>
            Ds(d, "SignatureMethod").AppendChild(Child(d, "Note"))!.InnerText = "a<b & \"c\" > \t");
        yield return Resigned("InclusiveNamespaces PrefixList on the exclusive c14n transform", d =>
        {
            d.DocumentElement!.SetAttribute("xmlns:u", "urn:u");
            var inclusive = d.CreateElement("ec", "InclusiveNamespaces", SignatureAlgorithms.ExclusiveC14N);
            inclusive.SetAttribute("PrefixList", "u #default");
            ((XmlElement)Ds(d, "Transforms").LastChild!).AppendChild(inclusive);
        });
        yield return Resigned("InclusiveNamespaces PrefixList on the canonicalization method", d =>
        {
            Ds(d, "SignedInfo").SetAttribute("xmlns:u", "urn:u");
            var inclusive = d.CreateElement("ec", "InclusiveNamespaces", SignatureAlgorithms.ExclusiveC14N);
            inclusive.SetAttribute("PrefixList", "u");
            Ds(d, "CanonicalizationMethod").AppendChild(inclusive);
        });
        yield return Resigned("an unknown element in the exclusive c14n transform", d =>
            ((XmlElement)Ds(d, "Transforms").LastChild!).AppendChild(d.CreateElement("Other", "urn:x")), Profile);
        yield return Resigned("InclusiveNamespaces with another attribute", d =>
        {
            var inclusive = d.CreateElement("InclusiveNamespaces", SignatureAlgorithms.ExclusiveC14N);
            inclusive.SetAttribute("PrefixList", "");
            inclusive.SetAttribute("Extra", "1");
            Ds(d, "CanonicalizationMethod").AppendChild(inclusive);
        }, Profile);
        yield return Resigned("an element in the enveloped transform", d =>
            ((XmlElement)Ds(d, "Transforms").FirstChild!).AppendChild(d.CreateElement("Ignored", "urn:x")), Profile);
        yield return Resigned("white space in the enveloped transform", d =>
            ((XmlElement)Ds(d, "Transforms").FirstChild!).AppendChild(d.CreateWhitespace(" ")), Profile);
        yield return Resigned("white space and a comment in the exclusive c14n transform", d =>
        {
            var transform = (XmlElement)Ds(d, "Transforms").LastChild!;
            transform.AppendChild(d.CreateWhitespace(" "));
            transform.AppendChild(d.CreateComment("c"));
        });
        yield return Resigned("InclusiveNamespaces followed by another element", d =>
        {
            var transform = (XmlElement)Ds(d, "Transforms").LastChild!;
            var inclusive = d.CreateElement("InclusiveNamespaces", SignatureAlgorithms.ExclusiveC14N);
            inclusive.SetAttribute("PrefixList", "");
            transform.AppendChild(inclusive);
            transform.AppendChild(d.CreateElement("After", "urn:x"));
        });
        yield return Resigned("an attribute on Transforms", d => Ds(d, "Transforms").SetAttribute("x", "1"), Profile);
        yield return Resigned("an attribute on DigestValue", d => Ds(d, "DigestValue").SetAttribute("Id", "d"), Profile);
        yield return Resigned("a prefixed Algorithm attribute", d =>
        {
            var method = Ds(d, "SignatureMethod");
            var algorithm = method.GetAttribute("Algorithm");
            method.RemoveAttribute("Algorithm");
            method.SetAttribute("Algorithm", HostileKit.Ds, algorithm);
        }, Profile);
        yield return Resigned("an element in another namespace inside SignedInfo", d => Ds(d, "SignedInfo").AppendChild(d.CreateElement("Extra", "urn:x")), Profile);
        yield return Resigned("two DigestValues", d => Ds(d, "Reference").AppendChild(Ds(d, "DigestValue").CloneNode(true)), Profile);
        yield return Resigned("a Transform beside something else in Transforms", d => Ds(d, "Transforms").AppendChild(d.CreateElement("Extra", "urn:x")), Profile);
        yield return Edited("an Id on SignatureValue", d => Ds(d, "SignatureValue").SetAttribute("Id", "sv"), Ok);
        yield return Edited("another attribute on SignatureValue", d => Ds(d, "SignatureValue").SetAttribute("x", "1"), Profile);
        yield return Edited("another attribute on Signature", d => Ds(d, "Signature").SetAttribute("x", "1"), Profile);
        yield return Edited("SignatureValue before SignedInfo", d => Ds(d, "Signature").PrependChild(Ds(d, "SignatureValue")), Ok);
        yield return Edited("KeyInfo first in the Signature", d => Ds(d, "Signature").PrependChild(Ds(d, "KeyInfo")), Ok);
        // Unsigned content carried beside a valid signature is refused, not kept in the stored header as if it were evidence.
        yield return Edited("a ds:Object added to the signature after signing", d =>
            Ds(d, "Signature").AppendChild(Child(d, "Object"))!.InnerText = "anything", Profile);
        yield return Edited("an unknown element in the Signature", d => Ds(d, "Signature").AppendChild(Child(d, "Manifest")), Profile);
        yield return Edited("two SignatureValues", d => Ds(d, "Signature").AppendChild(Ds(d, "SignatureValue").CloneNode(true)), Profile);
        yield return Edited("base64 of SignatureValue broken by line breaks and a no-break space", d =>
        {
            var value = Ds(d, "SignatureValue");
            value.InnerText = value.InnerText.Insert(40, "\n").Insert(20, "\u00A0").Insert(10, "\n ");
        }, Ok);
        yield return Edited("DigestValue split by a comment", d =>
        {
            var digest = Ds(d, "DigestValue");
            var text = digest.InnerText;
            digest.InnerText = text[..8];
            digest.AppendChild(d.CreateComment("x"));
            digest.AppendChild(d.CreateTextNode(text[8..]));
        }, Ok);
        yield return Edited("a processing instruction inside SignedInfo", d =>
            Ds(d, "SignedInfo").AppendChild(d.CreateProcessingInstruction("pi", "x")), Invalid);
        yield return Edited("a processing instruction after the root", d =>
            d.AppendChild(d.CreateProcessingInstruction("after", "")), Invalid);
        yield return Edited("an empty-element Signature sibling in another namespace", d =>
            d.DocumentElement!.AppendChild(d.CreateElement("Signature", "urn:not-dsig")), Invalid);
        yield return Edited("the enveloped Signature with whitespace text around it", d =>
        {
            var signature = Ds(d, "Signature");
            d.DocumentElement!.InsertBefore(d.CreateWhitespace("\n"), signature);
        }, Invalid);
        yield return Edited("two signatures, the second a sibling", d =>
            d.DocumentElement!.AppendChild(Ds(d, "Signature").CloneNode(true)), Profile);
        yield return Edited("the Signature's namespace declared with a prefix on a wrapper", d =>
        {
            var signature = Ds(d, "Signature");
            var wrapper = d.CreateElement("Wrap", Namespaces.Documents);
            d.DocumentElement!.ReplaceChild(wrapper, signature);
            wrapper.AppendChild(signature);
        }, Profile);
    }

    // A known divergence, kept from before the verifier read signatures itself: SignedXml copies the xml:* attributes
    // of SignedInfo's ancestors onto the SignedInfo it canonicalizes, which exclusive c14n does not do (they are not
    // inherited); the register follows the recommendation, as other XML-DSig libraries do.
    [Test]
    public void An_xml_lang_above_SignedInfo_is_not_inherited_into_its_canonical_form()
    {
        var header = Signed(Header(Flow().ToBytes()), World.Roma);
        header.DocumentElement!.SetAttribute("xml:lang", "it");
        var document = SafeXml.LoadDocument(Bytes(InPlaceSigner.Resign(header, World.Roma)));

        Assert.That(SignatureProfileVerifier.Verify(document).IsValid, Is.True);
        Assert.That(ReferenceSignatureVerifier.Verify(document).Failure, Is.EqualTo(SignatureFailure.Invalid));
    }

    private static IEnumerable<HostileCase> Valid()
    {
        const string Valid = "Valid";
        var ok = Expectation.Refused("OK");
        yield return new(Valid, "RSA-SHA256 by H501", w => SignedFlow(Flow().ToBytes(), w.Roma), ok);
        yield return new(Valid, "ECDSA-SHA256 by F205", w => SignedFlow(Flow("F205").ToBytes(), w.Milano, "F205"), ok);
        yield return new(Valid, "RSA-SHA512 with a SHA-384 digest", w =>
            HostileRequest.Wcf(Bytes(CustomSigner.Sign(Header(Flow().ToBytes()), w.Roma, SignatureAlgorithms.RsaSha512, SignatureAlgorithms.Sha384)), null), ok);
        yield return new(Valid, "namespaces declared on the Signature and the root that SignedInfo does not use", w =>
        {
            var header = Signed(Header(Flow().ToBytes()), w.Roma);
            var text = Text(header)
                .Replace("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">", "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\" xmlns:u=\"urn:unused\">");
            return HostileRequest.Wcf(Utf8(text), null);
        }, ok);
        yield return new(Valid, "whitespace and line breaks inside the signature", w =>
        {
            var header = Signed(Header(Flow().ToBytes()), w.Roma);
            var text = Text(header).Replace("<KeyInfo>", "\n  <KeyInfo>\n    ").Replace("</Signature>", "\n</Signature>");
            return HostileRequest.Wcf(Utf8(text), null);
        }, ok);
    }
}
