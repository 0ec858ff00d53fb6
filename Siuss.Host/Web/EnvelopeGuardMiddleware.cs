using Siuss.Contracts;

namespace Siuss.Host.Web;

/// <summary>
/// Checks the shape of a SOAP request before SoapCore sees it, because SoapCore is lenient where an
/// attacker is not: it dispatches on the body when the SOAPAction is empty or foreign, reads the first of
/// two bodies, ignores mustUnderstand headers, does not bound the depth of headers, and its own reader is not
/// configurable. The rules are <see cref="EnvelopeRules"/>, shared with <see cref="SubmitFlowFastPath"/>. One pass
/// with the register's reader (<see cref="EnvelopeRules.CreateReader"/>: strict UTF-8, DTDs prohibited) over the whole
/// body the edge buffered; SoapCore then reads the same bytes, known to hold no DTD.
/// </summary>
public sealed class EnvelopeGuardMiddleware(RequestDelegate next, ILogger<EnvelopeGuardMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // The edge admitted only a POST to the service path, whole and buffered (seekable).
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
            await SoapFault.WriteAsync(context, logger, code, problem);
            return;
        }
        context.Request.Body.Position = 0;
        await next(context);
    }

    private static async Task<string?> CheckAsync(HttpRequest request, CancellationToken ct)
    {
        var operation = EnvelopeRules.OperationOf(request);
        if (operation is null) return EnvelopeRules.UnknownActionProblem;
        var rules = new EnvelopeRules(operation);
        using var reader = EnvelopeRules.CreateReader(request.Body, async: true, bufferSize: 4096);
        while (await reader.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            if (rules.Check(reader) is { } problem) return problem;
        }
        return rules.Finish();
    }
}
