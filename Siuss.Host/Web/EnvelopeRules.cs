using System.Reflection;
using System.ServiceModel;
using System.Xml;
using Siuss.Contracts;

namespace Siuss.Host.Web;

/// <summary>
/// The shape a SOAP request must have, checked node by node while it streams, so the guard in front of SoapCore and
/// the SubmitFlow fast path refuse exactly the same envelopes with the same words: a SOAP 1.1 envelope, an optional
/// Header then exactly one Body, whose single element is the operation the SOAPAction names, payloads that are text
/// only, no header that must be understood, no processing instructions, nesting within <see cref="MaxDepth"/>.
/// </summary>
public sealed class EnvelopeRules(string operation)
{
    /// <summary>The SOAP 1.1 envelope namespace.</summary>
    public const string Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
    /// <summary>The deepest element nesting an envelope may have (the contract needs 4).</summary>
    public const int MaxDepth = 16;
    /// <summary>The most attributes an envelope element may carry, and the longest attribute value.</summary>
    public const int MaxAttributes = 32, MaxAttributeLength = 1024;

    // Read from the contract so a new operation cannot be forgotten here.
    private static readonly HashSet<string> Operations = typeof(IAssistanceRecordService).GetMethods()
        .Select(m => m.GetCustomAttribute<OperationContractAttribute>()?.Name)
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal);

    private int _envelopeChildren, _bodyChildren;
    private bool _seenHeader, _seenBody, _inBody, _inHeader;

    /// <summary>The operation the request's SOAPAction names, or null when it names none of the contract's.</summary>
    public static string? OperationOf(HttpRequest request)
    {
        var action = request.Headers["SOAPAction"].ToString().Trim().Trim('"');
        if (!action.StartsWith(Namespaces.Service + "/", StringComparison.Ordinal)) return null;
        var operation = action[(Namespaces.Service.Length + 1)..];
        return Operations.Contains(operation) ? operation : null;
    }

    /// <summary>The answer to a request whose SOAPAction names no operation.</summary>
    public static string UnknownActionProblem =>
        $"The SOAPAction must name an operation of the contract ({Namespaces.Service}/ followed by one of {string.Join(", ", Operations)}).";

    // UTF-8 only, as the Content-Type the edge admits says: a UTF-8 byte order mark is skipped, anything that is not
    // UTF-8 (a UTF-16 or UTF-32 mark included) fails to decode, where an XML reader on the bytes would switch encodings.
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    /// <summary>
    /// The reader of an untrusted envelope, the only one the register uses on request bytes: strict UTF-8, DTDs prohibited,
    /// no resolver, comments skipped, processing instructions kept so they can be refused. SoapCore reads the same bytes
    /// only after this reader has read all of them without a fault.
    /// </summary>
    public static XmlReader CreateReader(Stream body, bool async, int bufferSize)
    {
        var text = new StreamReader(body, StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize, leaveOpen: true);
        return XmlReader.Create(text, new XmlReaderSettings
        {
            Async = async, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = true,
            IgnoreComments = true, IgnoreWhitespace = true, IgnoreProcessingInstructions = false,
        });
    }

    /// <summary>True when the reader is on an element directly inside the operation element (a payload such as Flusso).</summary>
    public bool IsPayload(XmlReader reader) => _inBody && reader.NodeType == XmlNodeType.Element && reader.Depth == 3;

    /// <summary>Checks the node the reader is on; returns the problem, or null when the envelope may go on.</summary>
    public string? Check(XmlReader reader)
    {
        if (reader.NodeType == XmlNodeType.ProcessingInstruction) return "A SOAP message must not carry processing instructions.";
        if (reader.NodeType != XmlNodeType.Element) return null;
        int depth = reader.Depth;
        if (depth + 1 > MaxDepth) return $"The envelope nests elements deeper than {MaxDepth} levels.";
        if (reader.AttributeCount > MaxAttributes) return $"An element of the envelope carries more than {MaxAttributes} attributes.";
        for (int i = 0; i < reader.AttributeCount; i++)
            if (reader.GetAttribute(i).Length > MaxAttributeLength) return $"An attribute of the envelope is longer than {MaxAttributeLength} characters.";
        switch (depth)
        {
            case 0:
                if (reader.LocalName != "Envelope" || reader.NamespaceURI != Soap11)
                    return "A SOAP 1.1 envelope is required (namespace " + Soap11 + ").";
                break;
            case 1:
                _envelopeChildren++;
                _inBody = _inHeader = false;
                if (reader.NamespaceURI == Soap11 && reader.LocalName == "Header")
                {
                    if (_seenHeader || _seenBody || _envelopeChildren != 1) return "The SOAP Header must come once, before the Body.";
                    _seenHeader = _inHeader = true;
                }
                else if (reader.NamespaceURI == Soap11 && reader.LocalName == "Body")
                {
                    if (_seenBody) return "A SOAP envelope has exactly one Body.";
                    _seenBody = _inBody = true;
                }
                else if (!_seenBody || reader.NamespaceURI.Length == 0 || reader.NamespaceURI == Soap11)
                {
                    return $"Unexpected element '{reader.LocalName}' in the SOAP envelope.";
                }
                break;
            case 2 when _inBody:
                if (++_bodyChildren > 1) return "The SOAP Body must hold exactly one operation element.";
                if (reader.LocalName != operation || reader.NamespaceURI != Namespaces.Service)
                    return $"The SOAP Body holds '{reader.LocalName}' in '{reader.NamespaceURI}', not the operation '{operation}' the SOAPAction names.";
                break;
            case 2 when _inHeader:
                var mustUnderstand = reader.GetAttribute("mustUnderstand", Soap11);
                if (mustUnderstand is "1" or "true")
                    return $"The header '{reader.LocalName}' must be understood, and the register does not understand it.";
                break;
            case 4 when _inBody:
                return "The payloads are base64 text, not XML elements.";
        }
        return null;
    }

    /// <summary>The fault code and words for an envelope the XML reader could not read, or null when the exception is not about the envelope.</summary>
    public static (string Code, string Problem)? Unreadable(Exception exception) => exception switch
    {
        XmlException e when Siuss.Signing.SafeXml.IsDtdRefusal(e) =>
            (FaultCodes.DtdProhibited, "SOAP messages must not carry a document type declaration."),
        XmlException e => (FaultCodes.RequestMalformed, $"The SOAP request is not well-formed XML (line {e.LineNumber}, position {e.LinePosition})."),
        System.Text.DecoderFallbackException => (FaultCodes.RequestMalformed, "Only UTF-8 SOAP messages are accepted."),
        _ => null,
    };

    /// <summary>Checks what can only be known at the end of the envelope; returns the problem or null.</summary>
    public string? Finish()
    {
        if (!_seenBody) return "The SOAP envelope has no Body.";
        if (_bodyChildren == 0) return "The SOAP Body is empty.";
        return null;
    }
}
