using System.Xml;
using Siuss.Contracts;

namespace Siuss.Host.Web;

/// <summary>
/// Checks the shape of a SOAP request before SoapCore sees it, because SoapCore is lenient where an
/// attacker is not: it dispatches on the body when the SOAPAction is empty or foreign, reads the first of
/// two bodies, ignores mustUnderstand headers and does not bound the depth of headers. The rules are
/// <see cref="EnvelopeRules"/>, shared with <see cref="SubmitFlowFastPath"/>. One streaming pass over the
/// buffered body (DTDs prohibited), then SoapCore reads it again.
/// </summary>
public sealed class EnvelopeGuardMiddleware(RequestDelegate next, ILogger<EnvelopeGuardMiddleware> logger)
{
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
            problem = await CheckAsync(context.Request, context.RequestAborted);
        }
        catch (Exception e) when (EnvelopeRules.Unreadable(e) is { } refusal)
        {
            (code, problem) = refusal;
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

    private static async Task<string?> CheckAsync(HttpRequest request, CancellationToken ct)
    {
        var operation = EnvelopeRules.OperationOf(request);
        if (operation is null) return EnvelopeRules.UnknownActionProblem;
        var rules = new EnvelopeRules(operation);
        using var reader = XmlReader.Create(request.Body, EnvelopeRules.ReaderSettings());
        while (await reader.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            if (rules.Check(reader) is { } problem) return problem;
        }
        return rules.Finish();
    }
}
