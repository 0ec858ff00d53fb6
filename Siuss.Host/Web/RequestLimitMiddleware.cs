using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Siuss.Contracts;
using Siuss.Service.Options;

namespace Siuss.Host.Web;

/// <summary>
/// Refuses request bodies over the configured size with a SOAP fault (RequestTooLarge) instead of a
/// bare HTTP error, before SoapCore reads a byte; also gives each request a correlation id, sent back in
/// the X-Correlation-Id header, written in the receipt (IdCorrelazione) and carried by every log entry of the
/// request as the scope property <c>CorrelationId</c>.
/// </summary>
public sealed class RequestLimitMiddleware(RequestDelegate next, IOptions<SiussOptions> options, ILogger<RequestLimitMiddleware> logger)
{
    /// <summary>The key under which the correlation id is kept in <see cref="HttpContext.Items"/>.</summary>
    public const string CorrelationIdKey = "Siuss.CorrelationId";

    private readonly long _maxBytes = options.Value.Limits.MaxRequestBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        context.Items[CorrelationIdKey] = correlationId;
        context.Response.Headers["X-Correlation-Id"] = correlationId;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId });

        if (context.Request.ContentLength > _maxBytes)
        {
            await SoapFault.WriteAsync(context, FaultCodes.RequestTooLarge, $"The request is larger than {_maxBytes} bytes.");
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = _maxBytes;

        if (HttpMethods.IsPost(context.Request.Method))
            context.Request.Body = new DoctypeGuardStream(context.Request.Body);

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            // A chunked body with no Content-Length crossed the limit while being read.
            await SoapFault.WriteAsync(context, FaultCodes.RequestTooLarge, $"The request is larger than {_maxBytes} bytes.");
        }
    }
}
