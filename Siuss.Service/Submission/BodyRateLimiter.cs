using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Siuss.Service.Options;

namespace Siuss.Service.Submission;

/// <summary>
/// A token bucket per paying body (CodiceEnte): <see cref="LimitOptions.SubmissionsPerSecondPerBody"/> tokens a
/// second, up to <see cref="LimitOptions.SubmissionBurstPerBody"/> saved. Applied once the body is authenticated,
/// so no one can spend another body's budget. In memory, per host: behind a load balancer the effective limit
/// is the per-host one times the hosts.
/// </summary>
public sealed class BodyRateLimiter(IOptions<SiussOptions> options, TimeProvider clock)
{
    private readonly double _rate = options.Value.Limits.SubmissionsPerSecondPerBody;
    private readonly double _burst = Math.Max(1, options.Value.Limits.SubmissionBurstPerBody);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes one token for <paramref name="body"/>; false (with when to retry) when its bucket is empty.</summary>
    public bool TryAcquire(string body, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_rate <= 0) return true;
        var bucket = _buckets.GetOrAdd(body, _ => new Bucket(_burst, clock.GetTimestamp()));
        lock (bucket)
        {
            var now = clock.GetTimestamp();
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + clock.GetElapsedTime(bucket.Stamp, now).TotalSeconds * _rate);
            bucket.Stamp = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / _rate);
            return false;
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens = tokens;
        public long Stamp = stamp;
    }
}
