namespace Siuss.Host.Web;

/// <summary>The register's start and stop log lines (EventIds 1001-1099; faults use 2001 and up).</summary>
internal static partial class RegisterLifecycleLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "SIUSS register ready: database {Provider}, data folder {DataDirectory}, listening on {Addresses}")]
    public static partial void Ready(ILogger logger, string provider, string dataDirectory, string addresses);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Critical, Message = "The register could not start")]
    public static partial void StartFailed(ILogger logger, Exception exception);
}
