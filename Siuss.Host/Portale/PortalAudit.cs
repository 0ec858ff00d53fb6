using System.Security.Claims;
using Siuss.Host.Web;
using Siuss.Service.Storage;

namespace Siuss.Host.Portale;

/// <summary>The claims a web-channel session carries.</summary>
internal static class PortaleClaims
{
    /// <summary>The operator's account id.</summary>
    public const string UserId = ClaimTypes.NameIdentifier;
    /// <summary>The body the operator works for: every read and write is scoped to it.</summary>
    public const string Ente = "siuss:ente";
    /// <summary>The login session, a random id per login: the upload evidence names it.</summary>
    public const string Session = "siuss:sessione";

    public static string? Of(ClaimsPrincipal user, string type) => user.FindFirst(type)?.Value;
}

/// <summary>Audits every login and action of the web channel: the table <c>portal_audit</c> and a log line, with user, body, session and correlation id.</summary>
internal sealed class PortalAudit(PortalUserRepository users, TimeProvider clock, ILogger<PortalAudit> logger)
{
    /// <summary>Records <paramref name="action"/> for the signed-in operator (or for <paramref name="userId"/>/<paramref name="ente"/> around a login).</summary>
    public async Task RecordAsync(HttpContext context, string action, string detail, string? userId = null, string? ente = null, string? sessionId = null)
    {
        userId ??= PortaleClaims.Of(context.User, PortaleClaims.UserId);
        ente ??= PortaleClaims.Of(context.User, PortaleClaims.Ente);
        sessionId ??= PortaleClaims.Of(context.User, PortaleClaims.Session);
        var correlationId = CorrelationId(context);
        PortaleLog.Action(logger, action, userId, ente, sessionId, correlationId, detail);
        await users.AuditAsync(new PortalAuditEntry
        {
            OccurredAt = clock.GetUtcNow().UtcDateTime, UserId = userId, AgencyCode = ente, SessionId = sessionId,
            CorrelationId = correlationId, Action = action, Detail = detail,
        }, context.RequestAborted);
    }

    /// <summary>The request's correlation id, the one its log lines and any receipt carry.</summary>
    public static string CorrelationId(HttpContext context) =>
        context.Items[FrontDoorMiddleware.CorrelationIdKey] as string ?? context.TraceIdentifier;
}
