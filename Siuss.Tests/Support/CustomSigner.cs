using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Siuss.Signing;

namespace Siuss.Tests.Support;

/// <summary>Signs documents outside the profile on purpose (other algorithms, transforms, references), to prove they are refused.</summary>
public static class CustomSigner
{
    /// <summary>Signs with the given methods; the transforms are created fresh for each call.</summary>
    public static XmlDocument Sign(XmlDocument document, X509Certificate2 certificate,
        string signatureMethod = SignatureAlgorithms.RsaSha256, string digestMethod = SignatureAlgorithms.Sha256,
        string canonicalization = SignatureAlgorithms.ExclusiveC14N, Func<Transform[]>? transforms = null, string uri = "",
        bool includeCertificate = true)
    {
        SignatureAlgorithms.EnsureRegistered();
        var signedXml = new SignedXml(document) { SigningKey = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey() };
        signedXml.SignedInfo!.CanonicalizationMethod = canonicalization;
        signedXml.SignedInfo.SignatureMethod = signatureMethod;
        var reference = new Reference(uri) { DigestMethod = digestMethod };
        foreach (var t in transforms?.Invoke() ?? [new XmlDsigEnvelopedSignatureTransform(), new XmlDsigExcC14NTransform()])
            reference.AddTransform(t);
        signedXml.AddReference(reference);
        if (includeCertificate)
        {
            var keyInfo = new KeyInfo();
            keyInfo.AddClause(new KeyInfoX509Data(certificate));
            signedXml.KeyInfo = keyInfo;
        }
        signedXml.ComputeSignature();
        document.DocumentElement!.AppendChild(document.ImportNode(signedXml.GetXml(), true));
        return document;
    }

    /// <summary>The document's bytes as UTF-8 without BOM.</summary>
    public static byte[] Bytes(XmlDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
            document.Save(writer);
        return buffer.ToArray();
    }
}
