using System.Collections.Frozen;
using System.Text.RegularExpressions;
using System.Xml;
using Siuss.Contracts;
using Siuss.Service.Submission;

namespace Siuss.Host.Web;

/// <summary>
/// The register's one fault seam. Every refusal - at the edge, in the SubmitFlow fast path, in front of SoapCore and
/// inside the SoapCore endpoint - is written, given its HTTP status and logged here, from
/// <see cref="FaultCodes.Catalogue"/>: the fault XML exists once (<see cref="WriteFaultElement"/>), the log line of a
/// fault code once (one event per code, EventId from the catalogue), and the step that maps an exception from the
/// pipelines to a fault once (<see cref="FromException"/>).
/// </summary>
public static class SoapFault
{
    private const string Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";

    // One log event per fault code, defined once: the EventId and name come from the catalogue, so the log line of a
    // code reads the same whichever layer raised it. The problem text is masked before it gets here.
    private static readonly FrozenDictionary<string, Action<ILogger, string, string, string, Exception?>> LogLines =
        FaultCodes.Catalogue.ToFrozenDictionary(f => f.Code, f => LoggerMessage.Define<string, string, string>(
            f.Code == FaultCodes.InternalError ? LogLevel.Error : LogLevel.Warning,
            new EventId(f.EventId, f.Code),
            "Request refused with {FaultCode}, correlation {CorrelationId}: {Problem}"));

    /// <summary>Logs the fault and writes it as the whole response: a SOAP 1.1 fault with the code's HTTP status.</summary>
    public static Task WriteAsync(HttpContext context, ILogger logger, string code, string message, Exception? exception = null)
    {
        Log(logger, code, CorrelationIdOf(context), message, exception);
        return RespondAsync(context, code, message);
    }

    /// <summary>Writes a fault already logged (by <see cref="FromException"/>) as the whole response.</summary>
    public static async Task RespondAsync(HttpContext context, string code, string message)
    {
        var description = FaultCodes.Describe(code);
        if (context.Response.HasStarted) return; // nothing more can be said; the log line stays
        context.Response.StatusCode = description.HttpStatus;
        context.Response.ContentType = "text/xml; charset=utf-8";
        if (code is FaultCodes.ServerBusy or FaultCodes.ClientBusy) context.Response.Headers.RetryAfter = "1";
        using var buffer = new MemoryStream(512);
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Async = false }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("s", "Envelope", Soap11);
            writer.WriteStartElement("s", "Body", Soap11);
            WriteFaultElement(writer, code, message);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>
    /// The Fault element itself, shared with <see cref="SoapFaultTransformer"/>: an unqualified <c>faultcode</c> holding the
    /// QName <c>f:Code</c> in <see cref="Namespaces.Faults"/> and a <c>faultstring</c>. The prefix stays <c>f</c>: PHP's
    /// SoapClient shows its callers only the prefixed text.
    /// </summary>
    public static void WriteFaultElement(XmlWriter writer, string code, string reason)
    {
        writer.WriteStartElement("s", "Fault", Soap11);
        writer.WriteStartElement("faultcode", "");
        writer.WriteAttributeString("xmlns", "f", null, Namespaces.Faults);
        writer.WriteString("f:" + code);
        writer.WriteEndElement();
        writer.WriteStartElement("faultstring", "");
        writer.WriteAttributeString("xml", "lang", null, "en");
        writer.WriteString(reason);
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    /// <summary>
    /// Maps what a pipeline threw to the fault the caller gets, and logs it: a <see cref="RegisterFaultException"/> keeps
    /// its code and words; anything else is the register's own failure (<c>InternalError</c>, retryable) and is logged
    /// with its exception, while the caller gets only the correlation id.
    /// </summary>
    public static (string Code, string Message) FromException(Exception exception, ILogger logger, string correlationId)
    {
        if (exception is RegisterFaultException refusal)
        {
            Log(logger, refusal.Code, correlationId, refusal.Message, null);
            return (refusal.Code, refusal.Message);
        }
        var message = $"The register could not complete the request; retry later (correlation {correlationId}).";
        Log(logger, FaultCodes.InternalError, correlationId, message, exception);
        return (FaultCodes.InternalError, message);
    }

    /// <summary>Writes the log line of a fault code (for faults SoapCore writes itself).</summary>
    public static void Log(ILogger logger, string code, string correlationId, string problem, Exception? exception) =>
        LogLines[code](logger, code, correlationId, MaskForLog(problem), exception);

    /// <summary>The request's correlation id, given by <see cref="FrontDoorMiddleware"/>.</summary>
    public static string CorrelationIdOf(HttpContext? context) =>
        context?.Items[FrontDoorMiddleware.CorrelationIdKey] as string ?? "-";

    private static readonly Regex FiscalCodeLike = new(
        @"[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]?|\d{11}",
        RegexOptions.CultureInvariant);

    /// <summary>
    /// The problem text quotes names from the request, which the sender chose: anything shaped like a fiscal
    /// code is masked and control characters dropped before it reaches a log (no personal data, no log injection).
    /// </summary>
    internal static string MaskForLog(string text) =>
        new string(FiscalCodeLike.Replace(text, "***").Where(c => !char.IsControl(c)).ToArray());
}
