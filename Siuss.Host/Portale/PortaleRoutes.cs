using System.Text.RegularExpressions;
using Siuss.Contracts;

namespace Siuss.Host.Portale;

/// <summary>
/// The web channel's part of the front door's allow-list (<see cref="Web.FrontDoorRoutes"/>): every page, form and static
/// file of <c>/portale/</c> by method, matched on the raw path like the rest of the list. Segments are plain
/// (letters, digits, <c>-</c>, <c>_</c>, a dot inside a file name), so percent-encoding, dot segments, doubled slashes
/// and other cases of the names are not on the list. A query is allowed (filters, the login's return path).
/// </summary>
internal static partial class PortaleRoutes
{
    /// <summary>True when the raw path is the channel's: the front door then asks only this list about it.</summary>
    public static bool Covers(string rawPath) =>
        rawPath == PortaleWebHost.BasePath || rawPath.StartsWith(PortaleWebHost.BasePath + "/", StringComparison.Ordinal);

    /// <summary>Why the request is refused (404 off the list, 405 another method on a listed path); null when it is allowed.</summary>
    public static (string Code, string Problem, string? Allow)? Refusal(string method, string rawPath)
    {
        bool get = Pages().IsMatch(rawPath) || StaticFile().IsMatch(rawPath), post = Forms().IsMatch(rawPath);
        if (!get && !post) return (FaultCodes.EndpointNotFound, "No page of the web channel is here.", null);
        if (HttpMethods.IsGet(method) && get || HttpMethods.IsPost(method) && post) return null;
        var allow = get && post ? "GET, POST" : get ? "GET" : "POST";
        return (FaultCodes.MethodNotAllowed, $"This page of the web channel takes {allow} only.", allow);
    }

    // GET: the pages (the receipt's id is an acquisition id or an IdMessaggio; the activation token is base64url).
    [GeneratedRegex(@"^/portale(/|/accesso|/invio|/ricevute|/ricevute/[A-Za-z0-9-]{1,64}(/xml)?|/attivazione/[A-Za-z0-9_-]{1,128})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pages();

    // GET: Bootstrap Italia and the channel's own files, in the folders that exist; a name never starts with a dot.
    [GeneratedRegex(@"^/portale/static/(bootstrap-italia/(css|svg|fonts/Titillium_Web|fonts/Roboto_Mono)/)?[A-Za-z0-9_-][A-Za-z0-9_.-]{0,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex StaticFile();

    // POST: the forms (login, activation, upload, logout); each carries its antiforgery token.
    [GeneratedRegex(@"^/portale/(accesso|invio|esci|attivazione/[A-Za-z0-9_-]{1,128})$", RegexOptions.CultureInvariant)]
    private static partial Regex Forms();
}
