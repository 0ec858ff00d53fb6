namespace Siuss.Host.Portale;

/// <summary>
/// The web channel's log lines (EventIds 1600-1699, stable). They name the account by its id and the body by its code,
/// never by an address, a name or a fiscal code.
/// </summary>
internal static partial class PortaleLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Portale {Action} by user {UserId} of {Ente}, session {SessionId}, correlation {CorrelationId}: {Detail}")]
    public static partial void Action(ILogger logger, string action, string? userId, string? ente, string? sessionId, string correlationId, string detail);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "Portale login refused ({Outcome}) for user {UserId}, correlation {CorrelationId}")]
    public static partial void LoginRefused(ILogger logger, string outcome, string? userId, string correlationId);
}
