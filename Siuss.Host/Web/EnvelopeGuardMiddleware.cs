using System.Reflection;
using System.ServiceModel;
using System.Text;
using System.Xml;
using Siuss.Contracts;

namespace Siuss.Host.Web;

/// <summary>
/// Checks the shape of a SOAP request before SoapCore sees it, because SoapCore is lenient where an
/// attacker is not: it dispatches on the body when the SOAPAction is empty or foreign, reads the first of
/// two bodies, ignores mustUnderstand headers and does not bound the depth of headers. Here: a SOAP 1.1
/// envelope, an optional Header then exactly one Body, whose single element is the operation the SOAPAction
/// names, payloads that are text only, no header that must be understood, nesting within
/// <see cref="MaxDepth"/>. One streaming pass over the buffered body (DTDs prohibited), then SoapCore reads it again.
/// </summary>
public sealed class EnvelopeGuardMiddleware(RequestDelegate next, ILogger<EnvelopeGuardMiddleware> logger)
{
    private const string Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
    /// <summary>The deepest element nesting an envelope may have (the contract needs 4).</summary>
    public const int MaxDepth = 16;
    /// <summary>The most attributes an envelope element may carry, and the longest attribute value.</summary>
    public const int MaxAttributes = 32, MaxAttributeLength = 1024;

    // Read from the contract so a new operation cannot be forgotten here.
    private static readonly HashSet<string> Operations = typeof(IAssistanceRecordService).GetMethods()
        .Select(m => m.GetCustomAttribute<OperationContractAttribute>()?.Name)
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals(WsdlMiddleware.ServicePath, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering(bufferThreshold: 1024 * 1024);
        string? problem;
        string code = FaultCodes.RequestMalformed;
        try
        {
            problem = await CheckAsync(context.Request.Body, Action(context.Request), context.RequestAborted);
        }
        catch (ProhibitedXmlException e)
        {
            (code, problem) = (e.IsDtd ? FaultCodes.DtdProhibited : FaultCodes.RequestMalformed, e.Message);
        }
        catch (XmlException e) when (Siuss.Signing.SafeXml.IsDtdRefusal(e))
        {
            (code, problem) = (FaultCodes.DtdProhibited, "SOAP messages must not carry a document type declaration.");
        }
        catch (XmlException e)
        {
            problem = $"The SOAP request is not well-formed XML (line {e.LineNumber}, position {e.LinePosition}).";
        }
        catch (DecoderFallbackException)
        {
            problem = "Only UTF-8 SOAP messages are accepted.";
        }

        if (problem is not null)
        {
            logger.LogWarning("SOAP request refused before dispatch with {FaultCode}: {Problem}", code, MaskForLog(problem));
            await SoapFault.WriteAsync(context, code, problem);
            return;
        }
        context.Request.Body.Position = 0;
        await next(context);
    }

    private static readonly System.Text.RegularExpressions.Regex FiscalCodeLike = new(
        @"[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]?|\d{11}",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// The problem text quotes names from the request, which the sender chose: anything shaped like a fiscal
    /// code is masked and control characters dropped before it reaches a log (no personal data, no log injection).
    /// </summary>
    internal static string MaskForLog(string text) =>
        new string(FiscalCodeLike.Replace(text, "***").Where(c => !char.IsControl(c)).ToArray());

    private static string? Action(HttpRequest request)
    {
        var action = request.Headers["SOAPAction"].ToString().Trim().Trim('"');
        return action.Length == 0 ? null : action;
    }

    private static async Task<string?> CheckAsync(Stream body, string? action, CancellationToken ct)
    {
        string? operation = null;
        if (action is not null && action.StartsWith(Namespaces.Service + "/", StringComparison.Ordinal))
            operation = action[(Namespaces.Service.Length + 1)..];
        if (operation is null || !Operations.Contains(operation))
            return $"The SOAPAction must name an operation of the contract ({Namespaces.Service}/ followed by one of {string.Join(", ", Operations)}).";

        var settings = new XmlReaderSettings
        {
            Async = true, DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = false,
            IgnoreComments = true, IgnoreWhitespace = true, IgnoreProcessingInstructions = false,
        };
        using var reader = XmlReader.Create(body, settings);
        int envelopeChildren = 0, bodyChildren = 0;
        bool seenHeader = false, seenBody = false, inBody = false, inHeader = false;
        while (await reader.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            if (reader.NodeType == XmlNodeType.ProcessingInstruction) return "A SOAP message must not carry processing instructions.";
            if (reader.NodeType != XmlNodeType.Element) continue;
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
                    envelopeChildren++;
                    inBody = inHeader = false;
                    if (reader.NamespaceURI == Soap11 && reader.LocalName == "Header")
                    {
                        if (seenHeader || seenBody || envelopeChildren != 1) return "The SOAP Header must come once, before the Body.";
                        seenHeader = inHeader = true;
                    }
                    else if (reader.NamespaceURI == Soap11 && reader.LocalName == "Body")
                    {
                        if (seenBody) return "A SOAP envelope has exactly one Body.";
                        seenBody = inBody = true;
                    }
                    else if (!seenBody || reader.NamespaceURI.Length == 0 || reader.NamespaceURI == Soap11)
                    {
                        return $"Unexpected element '{reader.LocalName}' in the SOAP envelope.";
                    }
                    break;
                case 2 when inBody:
                    if (++bodyChildren > 1) return "The SOAP Body must hold exactly one operation element.";
                    if (reader.LocalName != operation || reader.NamespaceURI != Namespaces.Service)
                        return $"The SOAP Body holds '{reader.LocalName}' in '{reader.NamespaceURI}', not the operation '{operation}' the SOAPAction names.";
                    break;
                case 2 when inHeader:
                    var mustUnderstand = reader.GetAttribute("mustUnderstand", Soap11);
                    if (mustUnderstand is "1" or "true")
                        return $"The header '{reader.LocalName}' must be understood, and the register does not understand it.";
                    break;
                case 4 when inBody:
                    return "The payloads are base64 text, not XML elements.";
            }
        }
        if (!seenBody) return "The SOAP envelope has no Body.";
        if (bodyChildren == 0) return "The SOAP Body is empty.";
        return null;
    }
}
