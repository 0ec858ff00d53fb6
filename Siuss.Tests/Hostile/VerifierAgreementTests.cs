using System.Xml;
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
        SignedHeaderAttackTests.All().Concat(Valid()).Select(c => new TestCaseData(c).SetName("agree on " + c));

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
