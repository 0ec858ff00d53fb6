using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Siuss.Tests.Support;

/// <summary>
/// Recomputes the DigestValue and SignatureValue of a signature already placed in its document, with the
/// framework's exclusive c14n over the SignedInfo node-set where it stands: signatures whose shape the signers
/// never write (prefixes declared on ancestors, extra content in SignedInfo), but that any verifier must accept.
/// </summary>
public static class InPlaceSigner
{
    private const string Ds = SignedXml.XmlDsigNamespaceUrl;

    /// <summary>Re-signs the document's one signature with <paramref name="certificate"/>'s RSA key (SHA-256 digest and method expected in SignedInfo).</summary>
    public static XmlDocument Resign(XmlDocument document, X509Certificate2 certificate)
    {
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("ds", Ds);
        ns.AddNamespace("ec", "http://www.w3.org/2001/10/xml-exc-c14n#");
        var signature = (XmlElement)document.SelectSingleNode("//ds:Signature", ns)!;

        var copy = (XmlDocument)document.CloneNode(deep: true);
        var copySignature = copy.SelectSingleNode("//ds:Signature", ns)!;
        copySignature.ParentNode!.RemoveChild(copySignature);
        var digestPrefixList = (signature.SelectSingleNode("ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform/ec:InclusiveNamespaces/@PrefixList", ns))?.Value;
        var digest = Canonical(copy, digestPrefixList);
        signature.SelectSingleNode("ds:SignedInfo/ds:Reference/ds:DigestValue", ns)!.InnerText = Convert.ToBase64String(SHA256.HashData(digest));

        var signedInfo = signature.SelectSingleNode("ds:SignedInfo", ns)!;
        var nodeSet = signedInfo.SelectNodes("descendant-or-self::node() | descendant-or-self::*/@* | descendant-or-self::*/namespace::*")!;
        var signedInfoPrefixList = (signedInfo.SelectSingleNode("ds:CanonicalizationMethod/ec:InclusiveNamespaces/@PrefixList", ns))?.Value;
        var canonicalSignedInfo = Canonical(nodeSet, signedInfoPrefixList);
        using var key = certificate.GetRSAPrivateKey()!;
        signature.SelectSingleNode("ds:SignatureValue", ns)!.InnerText =
            Convert.ToBase64String(key.SignData(canonicalSignedInfo, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return document;
    }

    private static byte[] Canonical(object input, string? prefixList)
    {
        var transform = new XmlDsigExcC14NTransform(includeComments: false, prefixList);
        transform.LoadInput(input);
        return ((MemoryStream)transform.GetOutput(typeof(Stream))).ToArray();
    }

    /// <summary>A copy of <paramref name="element"/> (in <paramref name="document"/>) whose dsig elements all carry the prefix <c>ds</c>.</summary>
    public static XmlElement WithDsPrefix(XmlDocument document, XmlElement element)
    {
        var copy = element.NamespaceURI == Ds ? document.CreateElement("ds", element.LocalName, Ds) : document.CreateElement(element.Prefix, element.LocalName, element.NamespaceURI);
        foreach (XmlAttribute attribute in element.Attributes)
            if (attribute.Name != "xmlns") copy.SetAttributeNode((XmlAttribute)document.ImportNode(attribute, true));
        foreach (XmlNode child in element.ChildNodes)
            copy.AppendChild(child is XmlElement e ? WithDsPrefix(document, e) : document.ImportNode(child, true));
        return copy;
    }
}
