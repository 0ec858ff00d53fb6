using System.Globalization;
using System.ServiceModel;
using System.Text.RegularExpressions;
using Polly;
using Polly.Retry;
using Siuss.Contracts;

namespace Siuss.Client.Submission;

/// <summary>Which register failures are worth retrying, and the bounded backoff they are retried with.</summary>
public static partial class TransientFaults
{
    /// <summary>
    /// True for failures that say nothing about the request itself: the register unreachable or timing out, HTTP 503
    /// (<c>ServerBusy</c>), and the faults the register documents as retryable (<c>ServerBusy</c>, <c>RateLimited</c>, <c>InternalError</c>).
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        FaultException fault => fault.Code?.Name is FaultCodes.ServerBusy or FaultCodes.RateLimited or FaultCodes.InternalError,
        CommunicationException or TimeoutException or HttpRequestException => true,
        RetryableReceiptException => true,
        _ => false,
    };

    /// <summary>The wait the register asked for: <c>RateLimited</c> says "Retry after N ms" in its message.</summary>
    public static TimeSpan? RequestedDelay(Exception e)
    {
        if (e is not FaultException fault) return null;
        var match = RetryAfter().Match(fault.Message);
        return match.Success ? TimeSpan.FromMilliseconds(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)) : null;
    }

    /// <summary>
    /// Exponential backoff with jitter from <paramref name="baseDelay"/>, at most <paramref name="maxRetries"/> retries, each wait
    /// at most 30 s; when the register said how long to wait (<c>RateLimited</c>), that wait is used instead.
    /// </summary>
    public static ResiliencePipeline Pipeline(int maxRetries, TimeSpan baseDelay, Action<int, TimeSpan, Exception>? onRetry = null)
    {
        if (maxRetries <= 0) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = maxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = baseDelay,
            MaxDelay = TimeSpan.FromSeconds(30),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
            DelayGenerator = args =>
            {
                var asked = args.Outcome.Exception is { } e ? RequestedDelay(e) : null;
                return ValueTask.FromResult(asked);
            },
            OnRetry = args =>
            {
                if (args.Outcome.Exception is { } e) onRetry?.Invoke(args.AttemptNumber + 1, args.RetryDelay, e);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    [GeneratedRegex(@"Retry after (\d+) ms", RegexOptions.CultureInvariant)]
    private static partial Regex RetryAfter();
}

/// <summary>A receipt that says "send it again" (<c>ERRORE_GENERICO</c>: the register failed and stored nothing).</summary>
public sealed class RetryableReceiptException(string message) : Exception(message);
