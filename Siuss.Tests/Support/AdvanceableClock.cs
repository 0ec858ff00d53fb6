namespace Siuss.Tests.Support;

/// <summary>
/// The real clock plus an offset a test can move forward, so time-based behaviour (rate buckets) is tested
/// without sleeping and without depending on how fast a loaded machine runs the steps in between.
/// </summary>
public sealed class AdvanceableClock : TimeProvider
{
    private long _offsetTicks;

    /// <summary>Moves this clock forward by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    private TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public override long GetTimestamp() => System.GetTimestamp() + (long)(Offset.TotalSeconds * System.TimestampFrequency);
}
