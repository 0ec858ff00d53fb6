using System.Text;
using System.Xml;

namespace Siuss.Signing;

/// <summary>
/// Exclusive XML canonicalization (xml-exc-c14n#, without comments, no InclusiveNamespaces) of a whole document,
/// computed while an <see cref="XmlReader"/> streams it, so a large document is digested without a DOM.
/// <see cref="System.Security.Cryptography.Xml.XmlDsigExcC14NTransform"/> produces the same bytes but needs the
/// document as an XmlDocument (and SignedXml copies it again), which costs tens of times the document's size.
/// Documents with a DTD or processing instructions are refused: the register never signs such documents.
/// </summary>
public static class ExclusiveCanonicalizer
{
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    // Small buffers: the output is a hash, which gains nothing from big chunks, and a 16K-char buffer cost ~80 KB
    // of garbage (chars plus encoded bytes) on every receipt signed; 2K chars still cost 10 KB of a one-record
    // receipt's ~40 KB, 512 cost 2.5 KB. Verifying canonicalizes twice per request a ~4 KB header, where even
    // 2K chars were most of what the check allocated.
    private const int SigningBufferChars = 512;
    private const int VerifyingBufferChars = 256;

    /// <summary>Writes the canonical form of the document <paramref name="reader"/> streams to <paramref name="output"/> (UTF-8).</summary>
    public static void Canonicalize(XmlReader reader, Stream output) =>
        Canonicalize(reader, output, leaveOutOrdinal: -1, renderProcessingInstructions: false, SigningBufferChars);

    /// <summary>
    /// Writes the canonical form of a DOM node to <paramref name="output"/> (UTF-8): a whole document, or an element
    /// alone as a document subset (only the namespaces it and its descendants use are rendered, wherever they were
    /// declared). <paramref name="leaveOut"/>, when given, is left out with its subtree: the enveloped-signature transform.
    /// </summary>
    /// <remarks>
    /// Used to verify signatures made by others, so processing instructions are rendered as c14n renders them
    /// rather than refused: the digest must be what any conforming signer computed (whether such a document is
    /// acceptable is the caller's decision).
    /// </remarks>
    public static void Canonicalize(XmlNode node, Stream output, XmlNode? leaveOut = null)
    {
        using var reader = new XmlNodeReader(node);
        int leaveOutOrdinal = leaveOut is null ? -1 : ElementOrdinal(node, leaveOut);
        Canonicalize(reader, output, leaveOutOrdinal, renderProcessingInstructions: true, VerifyingBufferChars);
    }

    // XmlNodeReader does not say which node it is on, so the element to leave out is known by its position among
    // the elements in document order (0 is the first element the reader meets).
    private static int ElementOrdinal(XmlNode start, XmlNode target)
    {
        int ordinal = 0;
        for (var node = start; node is not null; node = NextInDocumentOrder(node, start))
        {
            if (node == target) return ordinal;
            if (node.NodeType == XmlNodeType.Element) ordinal++;
        }
        throw new ArgumentException("The node to leave out is not inside the node to canonicalize.", nameof(target));
    }

    private static XmlNode? NextInDocumentOrder(XmlNode node, XmlNode start)
    {
        if (node.FirstChild is not null) return node.FirstChild;
        for (var current = node; current != start; current = current.ParentNode!)
            if (current.NextSibling is not null) return current.NextSibling;
        return null;
    }

    private static void Canonicalize(XmlReader reader, Stream output, int leaveOutOrdinal, bool renderProcessingInstructions, int bufferChars)
    {
        using var writer = new StreamWriter(output, Utf8, bufferChars, leaveOpen: true);
        // Per open element: the namespace declarations rendered in the output so far (prefix -> uri), inherited.
        var rendered = new Stack<Dictionary<string, string>>();
        rendered.Push(new Dictionary<string, string>(StringComparer.Ordinal) { [""] = "" });
        var attributes = new List<(string Uri, string Local, string Name, string Value)>();
        var namespaces = new SortedDictionary<string, string>(StringComparer.Ordinal);

        bool rootSeen = false;
        int elementOrdinal = 0;
        bool more = reader.Read();
        while (more)
        {
            if (reader.NodeType == XmlNodeType.Element && elementOrdinal++ == leaveOutOrdinal)
            {
                reader.Skip(); // lands on the node after the subtree, which the loop must not read past
                more = !reader.EOF;
                continue;
            }
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (reader.Depth == 0) rootSeen = true;
                    bool empty = reader.IsEmptyElement;
                    var inScope = rendered.Peek();
                    attributes.Clear();
                    namespaces.Clear();
                    Utilize(namespaces, inScope, reader.Prefix, reader.NamespaceURI);
                    if (reader.MoveToFirstAttribute())
                    {
                        do
                        {
                            if (reader.NamespaceURI == "http://www.w3.org/2000/xmlns/") continue; // declarations render only where utilized
                            if (reader.Prefix.Length > 0 && reader.NamespaceURI != XmlNamespace)
                                Utilize(namespaces, inScope, reader.Prefix, reader.NamespaceURI);
                            attributes.Add((reader.NamespaceURI, reader.LocalName, reader.Name, reader.Value));
                        } while (reader.MoveToNextAttribute());
                        reader.MoveToElement();
                    }
                    writer.Write('<');
                    writer.Write(reader.Name);
                    foreach (var (prefix, uri) in namespaces)
                    {
                        writer.Write(prefix.Length == 0 ? " xmlns=\"" : " xmlns:" + prefix + "=\"");
                        WriteEscaped(writer, uri, attribute: true);
                        writer.Write('"');
                    }
                    attributes.Sort(static (a, b) =>
                    {
                        int byUri = string.CompareOrdinal(a.Uri, b.Uri);
                        return byUri != 0 ? byUri : string.CompareOrdinal(a.Local, b.Local);
                    });
                    foreach (var a in attributes)
                    {
                        writer.Write(' ');
                        writer.Write(a.Name);
                        writer.Write("=\"");
                        WriteEscaped(writer, a.Value, attribute: true);
                        writer.Write('"');
                    }
                    writer.Write('>');
                    if (empty)
                    {
                        WriteEndTag(writer, reader.Name);
                    }
                    else
                    {
                        var scope = inScope;
                        if (namespaces.Count > 0)
                        {
                            scope = new Dictionary<string, string>(inScope, StringComparer.Ordinal);
                            foreach (var (prefix, uri) in namespaces) scope[prefix] = uri;
                        }
                        rendered.Push(scope);
                    }
                    break;
                case XmlNodeType.EndElement:
                    rendered.Pop();
                    WriteEndTag(writer, reader.Name);
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    if (reader.Depth > 0) WriteEscaped(writer, reader.Value, attribute: false); // outside the root it is not content
                    break;
                case XmlNodeType.ProcessingInstruction when renderProcessingInstructions:
                    WriteProcessingInstruction(writer, reader.Name, reader.Value, reader.Depth > 0 ? Position.InsideRoot : rootSeen ? Position.AfterRoot : Position.BeforeRoot);
                    break;
                case XmlNodeType.ProcessingInstruction:
                case XmlNodeType.DocumentType:
                case XmlNodeType.EntityReference:
                    throw new XmlException($"The document carries a {reader.NodeType}, which the register does not sign.");
            }
            more = reader.Read();
        }
    }

    private enum Position { BeforeRoot, InsideRoot, AfterRoot }

    // As c14n renders it: a line break separates a processing instruction outside the root from the root's side.
    private static void WriteProcessingInstruction(StreamWriter writer, string target, string data, Position position)
    {
        if (position == Position.AfterRoot) writer.Write('\n');
        writer.Write("<?");
        writer.Write(target);
        if (data.Length > 0)
        {
            writer.Write(' ');
            writer.Write(data);
        }
        writer.Write("?>");
        if (position == Position.BeforeRoot) writer.Write('\n');
    }

    // Exclusive c14n renders a namespace on an element only where the element or its attributes use it, and only
    // when the nearest output ancestor did not already render the same binding.
    private static void Utilize(SortedDictionary<string, string> namespaces, Dictionary<string, string> inScope, string prefix, string uri)
    {
        if (inScope.TryGetValue(prefix, out var current) ? current == uri : uri.Length == 0) return;
        namespaces[prefix] = uri;
    }

    private static void WriteEndTag(StreamWriter writer, string name)
    {
        writer.Write("</");
        writer.Write(name);
        writer.Write('>');
    }

    private static void WriteEscaped(StreamWriter writer, string value, bool attribute)
    {
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            string? escaped = value[i] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' when !attribute => "&gt;",
                '"' when attribute => "&quot;",
                '\t' when attribute => "&#x9;",
                '\n' when attribute => "&#xA;",
                '\r' => "&#xD;",
                _ => null,
            };
            if (escaped is null) continue;
            writer.Write(value.AsSpan(start, i - start));
            writer.Write(escaped);
            start = i + 1;
        }
        writer.Write(value.AsSpan(start));
    }
}
