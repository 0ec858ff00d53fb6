using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace Siuss.Signing;

/// <summary>
/// Exclusive c14n by the framework's <see cref="XmlDsigExcC14NTransform"/>, for the one shape the streaming
/// <see cref="ExclusiveCanonicalizer"/> does not implement: an InclusiveNamespaces PrefixList. The register's
/// signers never write one, so this slow path (it copies the DOM) only serves third-party signatures that do.
/// </summary>
internal static class FrameworkCanonicalization
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    /// <summary>Enveloped transform then exclusive c14n, on a copy of the document without the signature.</summary>
    public static void DigestDocument(XmlDocument document, XmlElement signatureElement, string? prefixList, IncrementalHash hash)
    {
        var copy = (XmlDocument)document.CloneNode(deep: true);
        var copyRoot = copy.DocumentElement!;
        copyRoot.RemoveChild(copyRoot.ChildNodes[IndexOf(signatureElement)]!);
        Canonicalize(copy, prefixList, hash);
    }

    /// <summary>
    /// SignedInfo canonicalised on its own, as SignedXml does: a copy carrying the namespace bindings in
    /// scope where it stands (nearest first), whether declared by attributes or only implied by an element's
    /// or attribute's namespace.
    /// </summary>
    public static void DigestSignedInfo(XmlElement signedInfoElement, string? prefixList, IncrementalHash hash)
    {
        var standalone = new XmlDocument { PreserveWhitespace = true };
        var copy = (XmlElement)standalone.AppendChild(standalone.ImportNode(signedInfoElement, deep: true))!;
        var bound = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlAttribute attribute in copy.Attributes)
            if (attribute.NamespaceURI == XmlnsNamespace) bound.Add(attribute.Name);

        void Bind(string prefix, string namespaceUri)
        {
            var name = prefix.Length == 0 ? "xmlns" : "xmlns:" + prefix;
            if (!bound.Add(name)) return;
            var declaration = standalone.CreateAttribute(name, XmlnsNamespace);
            declaration.Value = namespaceUri;
            copy.SetAttributeNode(declaration);
        }

        for (var element = signedInfoElement; element is not null; element = element.ParentNode as XmlElement)
        {
            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (attribute.NamespaceURI == XmlnsNamespace)
                    Bind(attribute.Prefix.Length == 0 ? "" : attribute.LocalName, attribute.Value);
                else if (attribute.Prefix.Length > 0 && attribute.Prefix != "xml")
                    Bind(attribute.Prefix, attribute.NamespaceURI);
            }
            Bind(element.Prefix, element.NamespaceURI);
        }
        Canonicalize(standalone, prefixList, hash);
    }

    private static void Canonicalize(XmlDocument document, string? prefixList, IncrementalHash hash)
    {
        var c14n = new XmlDsigExcC14NTransform(includeComments: false, prefixList);
        c14n.LoadInput(document);
        using var output = (Stream)c14n.GetOutput(typeof(Stream));
        output.CopyTo(new HashingStream(hash));
    }

    private static int IndexOf(XmlNode node)
    {
        int index = 0;
        for (var sibling = node.PreviousSibling; sibling is not null; sibling = sibling.PreviousSibling) index++;
        return index;
    }
}
