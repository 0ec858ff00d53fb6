using System.Xml;

namespace Siuss.Signing;

/// <summary>Loads untrusted XML with DTDs prohibited, no resolver and a size cap.</summary>
public static class SafeXml
{
    /// <summary>Reader settings for untrusted input: no DTD, no external resources, bounded size.</summary>
    public static XmlReaderSettings ReaderSettings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreProcessingInstructions = false,
        CloseInput = false,
    };

    /// <summary>The deepest element nesting a signed document may have (the profile's documents need 6).</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// Parses a small signed document into a DOM that keeps whitespace (signatures depend on it).
    /// Throws <see cref="UnsafeXmlException"/> for DTDs and <see cref="XmlException"/> for malformed input,
    /// for elements nested deeper than <see cref="MaxDepth"/> (canonicalization recurses), and for
    /// encodings other than UTF-8 (the signed bytes are the evidence: one encoding only).
    /// </summary>
    public static XmlDocument LoadDocument(byte[] bytes, long maxCharacters = 1_000_000)
    {
        if (bytes.Length >= 2 && (bytes[0] == 0xFE && bytes[1] == 0xFF || bytes[0] == 0xFF && bytes[1] == 0xFE || bytes[0] == 0 || bytes[1] == 0))
            throw new XmlException("Only UTF-8 documents are accepted.");
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var stream = new MemoryStream(bytes, writable: false);
        using var reader = XmlReader.Create(stream, ReaderSettings(maxCharacters));
        try
        {
            document.Load(reader);
        }
        catch (XmlException e) when (IsDtdRefusal(e))
        {
            throw new UnsafeXmlException("The document carries a DTD, which is prohibited.", e);
        }
        if (document.FirstChild is XmlDeclaration { Encoding: { Length: > 0 } encoding }
            && !encoding.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            throw new XmlException($"Only UTF-8 documents are accepted, not '{encoding}'.");
        CheckDepth(document);
        return document;
    }

    // Iterative, so a hostile depth cannot exhaust the stack while it is being measured.
    private static void CheckDepth(XmlDocument document)
    {
        var stack = new Stack<(XmlNode Node, int Depth)>();
        stack.Push((document, 0));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > MaxDepth)
                throw new XmlException($"Elements are nested deeper than {MaxDepth} levels.");
            for (var child = node.FirstChild; child is not null; child = child.NextSibling)
                if (child.NodeType == XmlNodeType.Element) stack.Push((child, depth + 1));
        }
    }

    /// <summary>True when an XmlException is the reader refusing a DTD (it has no dedicated type; the message is the only discriminator).</summary>
    public static bool IsDtdRefusal(XmlException e) =>
        e.Message.Contains("DTD", StringComparison.Ordinal) || e.Message.Contains("DOCTYPE", StringComparison.Ordinal);
}

/// <summary>Raised when untrusted XML tries to use a prohibited feature (DTD, entities).</summary>
public sealed class UnsafeXmlException(string message, Exception inner) : Exception(message, inner);
