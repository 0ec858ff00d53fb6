using System.Text;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Siuss.Service.Signing;
using Siuss.Service.Storage;

namespace Siuss.Host.Web;

/// <summary>
/// Liveness and readiness the way orchestrators probe them, on the ASP.NET Core health-check framework.
/// <c>/health/live</c>: the process answers (no check). <c>/health/ready</c>: the database is reachable and migrated,
/// the receipt key is loaded with its private key, the spool folder is writable; otherwise 503 with each reason, one
/// a line. <c>/health</c> stays the liveness answer it always was ("ok").
/// </summary>
internal static class HealthEndpoints
{
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";
    public const string Legacy = "/health";
    private const string ReadyTag = "ready";

    public static void AddRegisterHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [ReadyTag])
            .AddCheck<ReceiptKeyCheck>("receipt-key", tags: [ReadyTag])
            .AddCheck<SpoolFolderCheck>("spool-folder", tags: [ReadyTag]);

    public static void MapRegisterHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks(Live, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WritePlainAsync });
        app.MapHealthChecks(Ready, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WritePlainAsync });
        app.MapGet(Legacy, () => Results.Text("ok"));
    }

    // Plain text, one failing check a line: what an operator reads with curl and a probe logs as is.
    private static Task WritePlainAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder(report.Status.ToString()).Append('\n');
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
            text.Append(name).Append(": ").Append(entry.Description).Append('\n');
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }

    private sealed class DatabaseCheck(DatabaseReadiness database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            await database.ProblemAsync(ct) is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy();
    }

    private sealed class ReceiptKeyCheck(IServiceProvider services) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            HealthCheckResult result;
            try
            {
                result = services.GetRequiredService<ReceiptSigningKey>().Certificate.HasPrivateKey
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("receipt key not loaded: the certificate has no private key");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                result = HealthCheckResult.Unhealthy($"receipt key not loaded: {e.Message}");
            }
            return Task.FromResult(result);
        }
    }

    private sealed class SpoolFolderCheck(SpoolFolder spool) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            Task.FromResult(spool.WriteProblem() is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy());
    }
}
