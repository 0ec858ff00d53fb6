using System.Xml;

namespace Siuss.Signing;

/// <summary>One <c>ds:Transform</c> of the reference: its algorithm and, for exclusive c14n, its InclusiveNamespaces PrefixList.</summary>
internal sealed record TransformMarkup(string Algorithm, string? PrefixList);

/// <summary>
/// What the profile needs from a <c>ds:Signature</c> (its KeyInfo aside), read straight from the DOM with the
/// structure checks <c>SignedXml.LoadXml</c> makes: which children each element may have and how many, which
/// attributes, base64 values. Anything it would refuse is refused here with <see cref="MalformedSignatureException"/>.
/// Whether the algorithms and the reference fit the profile is the verifier's check, not this reader's.
/// </summary>
internal sealed record SignatureMarkup(
    XmlElement SignedInfo,
    string CanonicalizationMethod,
    string? CanonicalizationPrefixList,
    string SignatureMethod,
    int ReferenceCount,
    string? ReferenceUri,
    IReadOnlyList<TransformMarkup> Transforms,
    string DigestMethod,
    byte[] DigestValue,
    byte[] SignatureValue)
{
    private const string Ds = "http://www.w3.org/2000/09/xmldsig#";

    /// <summary>Reads the signature; throws <see cref="MalformedSignatureException"/> or <see cref="FormatException"/> (bad base64).</summary>
    public static SignatureMarkup Read(XmlElement signature)
    {
        RequireAttributes(signature, "Signature", "Id");
        var signedInfo = Single(signature, "SignedInfo");
        var signatureValue = Single(signature, "SignatureValue");
        RequireAttributes(signatureValue, "SignatureValue", "Id");
        int keyInfos = DsChildren(signature, "KeyInfo").Count;
        if (keyInfos > 1) throw new MalformedSignatureException("more than one KeyInfo");
        // No ds:Object: the profile's one reference covers the document, never an Object, so whatever an Object holds
        // is unsigned - and the register keeps the signed header as evidence, which must hold only what was signed.
        if (DsChildren(signature, "Object").Count > 0) throw new MalformedSignatureException("a ds:Object, which the signature does not cover");
        int expected = 2 + keyInfos;
        if (ElementChildCount(signature) != expected) throw new MalformedSignatureException("unexpected elements in Signature");

        var (canonicalization, canonicalizationPrefixList, signatureMethod) = ReadMethods(signedInfo);
        var references = DsChildren(signedInfo, "Reference");
        var reference = references.Count == 1 ? ReadReference(references[0]) : default;
        return new SignatureMarkup(
            signedInfo, canonicalization, canonicalizationPrefixList, signatureMethod,
            references.Count, reference.Uri, reference.Transforms ?? [], reference.DigestMethod ?? "", reference.DigestValue ?? [],
            Base64(signatureValue));
    }

    // SignedInfo: one CanonicalizationMethod, one SignatureMethod, references, and nothing else.
    private static (string Canonicalization, string? PrefixList, string SignatureMethod) ReadMethods(XmlElement signedInfo)
    {
        RequireAttributes(signedInfo, "SignedInfo", "Id");
        var canonicalizationMethod = Single(signedInfo, "CanonicalizationMethod");
        var canonicalization = RequiredAlgorithm(canonicalizationMethod);
        string? prefixList = canonicalization == SignatureAlgorithms.ExclusiveC14N ? ExclusiveC14NPrefixList(canonicalizationMethod) : null;
        var signatureMethod = RequiredAlgorithm(Single(signedInfo, "SignatureMethod"));

        int references = DsChildren(signedInfo, "Reference").Count;
        if (ElementChildCount(signedInfo) != 2 + references) throw new MalformedSignatureException("unexpected elements in SignedInfo");
        return (canonicalization, prefixList, signatureMethod);
    }

    private static (string? Uri, IReadOnlyList<TransformMarkup>? Transforms, string? DigestMethod, byte[]? DigestValue) ReadReference(XmlElement reference)
    {
        RequireAttributes(reference, "Reference", "Id", "URI", "Type");
        var uri = reference.GetAttributeNode("URI")?.Value;

        var transformsElements = DsChildren(reference, "Transforms");
        if (transformsElements.Count > 1) throw new MalformedSignatureException("more than one Transforms");
        var transforms = transformsElements.Count == 1 ? ReadTransforms(transformsElements[0]) : [];

        var digestMethod = RequiredAlgorithm(Single(reference, "DigestMethod"));
        var digestValueElement = Single(reference, "DigestValue");
        var digestValue = Base64(digestValueElement);
        RequireAttributes(digestValueElement, "DigestValue");

        if (ElementChildCount(reference) != 2 + transformsElements.Count) throw new MalformedSignatureException("unexpected elements in Reference");
        return (uri, transforms, digestMethod, digestValue);
    }

    private static List<TransformMarkup> ReadTransforms(XmlElement transformsElement)
    {
        RequireAttributes(transformsElement, "Transforms");
        var elements = DsChildren(transformsElement, "Transform");
        if (elements.Count != ElementChildCount(transformsElement)) throw new MalformedSignatureException("unexpected elements in Transforms");
        var transforms = new List<TransformMarkup>(elements.Count);
        foreach (var element in elements)
        {
            var algorithm = RequiredAlgorithm(element);
            // Of the transforms the profile allows, exclusive c14n may hold its InclusiveNamespaces; the enveloped
            // transform must be empty (not even white space or a comment), as SignedXml requires since its hardening.
            string? prefixList = algorithm == SignatureAlgorithms.ExclusiveC14N ? ExclusiveC14NPrefixList(element) : null;
            if (algorithm == SignatureAlgorithms.Enveloped && element.HasChildNodes)
                throw new MalformedSignatureException("the enveloped-signature transform has content");
            transforms.Add(new TransformMarkup(algorithm, prefixList));
        }
        return transforms;
    }

    // As XmlDsigExcC14NTransform.LoadInnerXml: the first child element, if any, must be an InclusiveNamespaces
    // carrying a PrefixList (and no other attribute); what follows it is not looked at.
    private static string? ExclusiveC14NPrefixList(XmlElement method)
    {
        for (var child = method.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child is not XmlElement element) continue;
            bool isInclusiveNamespaces = element.LocalName == "InclusiveNamespaces" && element.NamespaceURI == SignatureAlgorithms.ExclusiveC14N
                && (element.HasAttribute("PrefixList") || element.HasAttribute("PrefixList", Ds));
            if (!isInclusiveNamespaces) throw new MalformedSignatureException("unknown content in an exclusive c14n method");
            RequireAttributes(element, "InclusiveNamespaces", "PrefixList");
            return element.GetAttribute("PrefixList");
        }
        return null;
    }

    private static string RequiredAlgorithm(XmlElement method)
    {
        RequireAttributes(method, method.LocalName, "Algorithm");
        return method.GetAttributeNode("Algorithm")?.Value ?? throw new MalformedSignatureException(method.LocalName + " has no Algorithm");
    }

    // As SignedXml: besides the expected attributes, only namespace declarations and xml:space/lang/base.
    private static void RequireAttributes(XmlElement element, string what, params string[] allowed)
    {
        foreach (XmlAttribute attribute in element.Attributes)
        {
            var name = attribute.Name;
            bool isSpecial = name == "xmlns" || name.StartsWith("xmlns:", StringComparison.Ordinal)
                || name is "xml:space" or "xml:lang" or "xml:base";
            if (!isSpecial && Array.IndexOf(allowed, name) < 0)
                throw new MalformedSignatureException($"attribute '{name}' is not allowed on {what}");
        }
    }

    // SignedXml drops every white-space character (not only the four base64 tolerates) before decoding.
    private static byte[] Base64(XmlElement element)
    {
        var text = element.InnerText;
        if (text.Any(char.IsWhiteSpace)) text = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        return Convert.FromBase64String(text);
    }

    private static XmlElement Single(XmlElement parent, string localName)
    {
        var found = DsChildren(parent, localName);
        return found.Count == 1 ? found[0] : throw new MalformedSignatureException($"{parent.LocalName} must hold exactly one {localName}");
    }

    private static int ElementChildCount(XmlElement parent)
    {
        int count = 0;
        for (var child = parent.FirstChild; child is not null; child = child.NextSibling)
            if (child.NodeType == XmlNodeType.Element) count++;
        return count;
    }

    /// <summary>The children of <paramref name="parent"/> named <c>ds:</c><paramref name="localName"/>.</summary>
    public static List<XmlElement> DsChildren(XmlElement parent, string localName)
    {
        var found = new List<XmlElement>(1);
        for (var child = parent.FirstChild; child is not null; child = child.NextSibling)
            if (child is XmlElement e && e.LocalName == localName && e.NamespaceURI == Ds) found.Add(e);
        return found;
    }
}

/// <summary>A <c>ds:Signature</c> whose structure SignedXml would not load.</summary>
internal sealed class MalformedSignatureException(string message) : Exception(message);
