using System.Xml;
using Siuss.Service.Flows;
using Siuss.Service.Submission;

namespace Siuss.Tests.Unit;

[TestFixture]
public sealed class FlowReadAheadTests
{
    private static async Task<List<int>> DrainAsync(FlowReadAhead<int> source)
    {
        var seen = new List<int>();
        await foreach (var item in source.ReadAllAsync()) seen.Add(item);
        return seen;
    }

    [Test]
    public async Task Items_arrive_in_order_both_in_line_and_read_ahead_through_a_small_queue()
    {
        await using var ahead = FlowReadAhead<int>.Start(Enumerable.Range(0, 10_000), capacity: 4, CancellationToken.None);
        await using var inLine = FlowReadAhead<int>.InLine(Enumerable.Range(0, 10_000));
        Assert.That(await DrainAsync(ahead), Is.EqualTo(Enumerable.Range(0, 10_000)));
        Assert.That(await DrainAsync(inLine), Is.EqualTo(Enumerable.Range(0, 10_000)));
    }

    private static IEnumerable<int> FailingAfter(int count)
    {
        for (int i = 0; i < count; i++) yield return i;
        throw new XmlException("unexpected end of file");
    }

    [Test]
    public async Task The_reader_s_exception_reaches_the_consumer_unchanged_after_the_items_read_before_it()
    {
        await using var source = FlowReadAhead<int>.Start(FailingAfter(50), capacity: 8, CancellationToken.None);
        var seen = new List<int>();
        var thrown = Assert.ThrowsAsync<XmlException>(async () => { await foreach (var item in source.ReadAllAsync()) seen.Add(item); });
        Assert.That(thrown!.Message, Does.Contain("unexpected end of file"));
        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 50)));
    }

    [Test]
    public async Task A_consumer_that_stops_early_stops_the_reader_before_dispose_returns()
    {
        int produced = 0;
        IEnumerable<int> Endless() { while (true) yield return Interlocked.Increment(ref produced); }

        var source = FlowReadAhead<int>.Start(Endless(), capacity: 4, CancellationToken.None);
        await foreach (var item in source.ReadAllAsync())
            if (item == 10) break;
        await source.DisposeAsync();

        var afterDispose = Volatile.Read(ref produced);
        await Task.Delay(100);
        Assert.That(Volatile.Read(ref produced), Is.EqualTo(afterDispose), "nothing reads once dispose has returned");
        Assert.That(afterDispose, Is.LessThanOrEqualTo(10 + 4 + 2), "never more than the queue's capacity ahead");
    }

    [Test]
    public async Task A_received_flow_past_the_threshold_is_read_ahead_and_a_small_one_in_line()
    {
        // Decided on the flow's size as received: it once asked the flow's stream CanSeek, which a received flow's
        // stream never can, and no flow was ever read ahead.
        await using var large = ReceivedFlow.FromBytes(new byte[FlowIngestor.ReadAheadThresholdBytes + 1]);
        await using var small = ReceivedFlow.FromBytes(new byte[1024]);
        Assert.That(FlowIngestor.ReadAhead(large), Is.True);
        Assert.That(FlowIngestor.ReadAhead(small), Is.False);
    }
}
