using System.Security.Cryptography.X509Certificates;
using System.Xml;
using System.Xml.Schema;
using System.Xml.Serialization;
using Siuss.Contracts;
using Siuss.Service.Flows;
using Siuss.Signing;

namespace Siuss.Service.Submission;

/// <summary>A signed document that passed the signature profile and its schema, with who signed it.</summary>
public sealed record SignedDocument<T>(T Value, X509Certificate2 Signer, byte[] RawBytes);

/// <summary>
/// Reads a signed <c>Trasmissione</c> or <c>Richiesta</c>: safe parse, signature profile, schema, then
/// typed fields read from the very DOM whose signature was checked (so nothing unsigned is trusted).
/// </summary>
public static class SignedDocumentReader
{
    private static readonly Lazy<XmlSchemaSet> Schemas = new(() => FlowSchemas.Compile("siuss-documents.xsd"));

    /// <summary>Compiles the documents schema now, so a broken deployment fails at start rather than on the first request.</summary>
    public static void CompileSchemas() => _ = Schemas.Value;

    /// <summary>Reads and verifies; throws <see cref="RegisterFaultException"/> with a stable code on any failure.</summary>
    public static SignedDocument<T> Read<T>(byte[]? bytes, int maxBytes) where T : class
    {
        if (bytes is null || bytes.Length == 0)
            throw new RegisterFaultException(FaultCodes.PayloadMissing, $"The signed {typeof(T).Name} document is missing.");
        if (bytes.Length > maxBytes)
            throw new RegisterFaultException(FaultCodes.RequestTooLarge, $"The signed {typeof(T).Name} document exceeds {maxBytes} bytes.");

        XmlDocument document;
        try
        {
            document = SafeXml.LoadDocument(bytes, maxBytes);
        }
        catch (UnsafeXmlException)
        {
            throw new RegisterFaultException(FaultCodes.DtdProhibited, "DTDs and entity declarations are not accepted.");
        }
        catch (XmlException e)
        {
            throw new RegisterFaultException(FaultCodes.XmlMalformed, $"The {typeof(T).Name} document is not well-formed XML (line {e.LineNumber}, position {e.LinePosition}).");
        }

        if (HasHiddenNodes(document))
            throw new RegisterFaultException(FaultCodes.DocumentInvalid,
                "Signed documents must not carry comments or processing instructions (exclusive c14n does not sign comments).");

        var root = document.DocumentElement!;
        if (root.LocalName != typeof(T).Name || root.NamespaceURI != Namespaces.Documents)
            throw new RegisterFaultException(FaultCodes.DocumentInvalid, $"Expected a {typeof(T).Name} document in namespace {Namespaces.Documents}.");

        var check = SignatureProfileVerifier.Verify(document);
        if (!check.IsValid)
        {
            var code = check.Failure switch
            {
                SignatureFailure.Missing => FaultCodes.SignatureMissing,
                SignatureFailure.ProfileViolation => FaultCodes.SignatureProfileViolation,
                _ => FaultCodes.SignatureInvalid,
            };
            throw new RegisterFaultException(code, check.Detail);
        }

        Validate(document);
        using var nodeReader = new XmlNodeReader(document);
        var value = (T)SerializerOf<T>.Instance.Deserialize(nodeReader)!;
        return new SignedDocument<T>(value, check.Certificate!, bytes);
    }

    private static class SerializerOf<T>
    {
        public static readonly XmlSerializer Instance = new(typeof(T));
    }

    // Comments are outside what exclusive c14n signs, and processing instructions are instructions to someone:
    // neither belongs in a machine-made signed document, so both are refused wherever they are.
    private static bool HasHiddenNodes(XmlDocument document)
    {
        var stack = new Stack<XmlNode>();
        stack.Push(document);
        while (stack.Count > 0)
        {
            for (var child = stack.Pop().FirstChild; child is not null; child = child.NextSibling)
            {
                if (child.NodeType is XmlNodeType.Comment or XmlNodeType.ProcessingInstruction) return true;
                if (child.HasChildNodes) stack.Push(child);
            }
        }
        return false;
    }

    private static void Validate(XmlDocument document)
    {
        document.Schemas = Schemas.Value;
        string? problem = null;
        document.Validate((_, e) => problem ??= e.Message);
        if (problem is not null)
            throw new RegisterFaultException(FaultCodes.DocumentInvalid, "The document does not match its schema: " + problem);
    }
}
