using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Siuss.Signing;

/// <summary>Signs a whole document with an enveloped signature that follows the register's profile.</summary>
public static class XmlDocumentSigner
{
    /// <summary>
    /// Appends an enveloped <c>ds:Signature</c> to the root: reference <c>URI=""</c>, enveloped +
    /// exclusive c14n transforms, SHA-256 digest, RSA-SHA256 or ECDSA-SHA256/384 by key type, and
    /// the signing certificate in <c>X509Data</c>.
    /// </summary>
    public static void Sign(XmlDocument document, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(document.DocumentElement);
        SignatureAlgorithms.EnsureRegistered();

        var (key, signatureMethod, _) = SigningKeys.For(certificate);

        using (key)
        {
            var signedXml = new SignedXml(document) { SigningKey = key };
            signedXml.SignedInfo!.CanonicalizationMethod = SignatureAlgorithms.ExclusiveC14N;
            signedXml.SignedInfo.SignatureMethod = signatureMethod;

            var reference = new Reference("") { DigestMethod = SignatureAlgorithms.Sha256 };
            reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
            reference.AddTransform(new XmlDsigExcC14NTransform());
            signedXml.AddReference(reference);

            var keyInfo = new KeyInfo();
            keyInfo.AddClause(new KeyInfoX509Data(certificate));
            signedXml.KeyInfo = keyInfo;

            signedXml.ComputeSignature();
            document.DocumentElement.AppendChild(document.ImportNode(signedXml.GetXml(), deep: true));
        }
    }

    /// <summary>Signs and serialises the document as UTF-8 bytes without a BOM: the exact bytes to send.</summary>
    public static byte[] SignToBytes(XmlDocument document, X509Certificate2 certificate)
    {
        Sign(document, certificate);
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) }))
        {
            document.Save(writer);
        }
        return buffer.ToArray();
    }
}
