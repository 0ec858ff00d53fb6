using Microsoft.AspNetCore.Http.Features;
using Siuss.Contracts;

namespace Siuss.Host.Web;

/// <summary>
/// The allow-list of the register, in one place: POST to the service path; GET of <c>?wsdl</c> and <c>?xsd=</c> on the
/// service path, of <c>/receipt-certificate.pem</c>, <c>/rules.md</c> and <c>/health</c>; the web channel's pages and forms
/// under <c>/portale/</c>, listed by <see cref="Portale.PortaleRoutes"/>. Matched on the raw request
/// target, byte for byte, before any decoding or normalising of the path: a variant of an allowed path (trailing slash,
/// sub-path, other case, percent-encoded characters, dot segments, an absolute URI) is simply not on the list.
/// </summary>
internal static class FrontDoorRoutes
{
    /// <summary>The files served by GET beside the service (a query on them is ignored).</summary>
    public static readonly IReadOnlyList<string> PublishedFiles = ["/receipt-certificate.pem", "/rules.md", "/health"];

    /// <summary>Why the edge refuses the request, with the Allow header of a 405; null when it is on the list.</summary>
    public static (string Code, string Problem, string? Allow)? Refusal(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        int q = raw.IndexOf('?');
        var path = q < 0 ? raw : raw[..q];
        var query = q < 0 ? null : raw[(q + 1)..];
        var method = context.Request.Method;

        if (Portale.PortaleRoutes.Covers(path)) return Portale.PortaleRoutes.Refusal(method, path);
        if (path == WsdlMiddleware.ServicePath)
        {
            if (HttpMethods.IsPost(method))
                return query is null ? null : NotFound("A SOAP request is posted to the service path without a query.");
            if (HttpMethods.IsGet(method))
                return query is not null && (query.Equals("wsdl", StringComparison.OrdinalIgnoreCase) || query.StartsWith("xsd=", StringComparison.Ordinal))
                    ? null
                    : NotFound("The service path answers GET only for ?wsdl and the schemas it references (?xsd=).");
            return (FaultCodes.MethodNotAllowed, $"The service path takes POST (SOAP 1.1) and GET (?wsdl), not {Printable(method)}.", "GET, POST");
        }
        if (PublishedFiles.Contains(path, StringComparer.Ordinal))
            return HttpMethods.IsGet(method) ? null : (FaultCodes.MethodNotAllowed, $"{path} takes GET only.", "GET");
        return NotFound($"Nothing is served here; the SOAP endpoint is {WsdlMiddleware.ServicePath}.");
    }

    /// <summary>True for the web channel's requests (<c>/portale/</c>): browser forms, not SOAP, past the front door.</summary>
    public static bool IsPortale(HttpContext context) => Portale.PortaleRoutes.Covers(RawPath(context));

    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        int q = raw.IndexOf('?');
        return q < 0 ? raw : raw[..q];
    }

    private static (string, string, string?) NotFound(string problem) => (FaultCodes.EndpointNotFound, problem, null);

    // The method is the client's text: only a short token goes into the answer.
    private static string Printable(string method) =>
        method.Length <= 16 && method.All(char.IsAsciiLetterUpper) ? method : "this method";
}
