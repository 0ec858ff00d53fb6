using System.Threading.Channels;

namespace Siuss.Service.Flows;

/// <summary>
/// Hands the items of a synchronous reader to an async consumer, either in line or read ahead on another thread
/// through a bounded queue (so a large flow is parsed and validated while the previous records are being written,
/// and never more than a few hundred items ahead). The reader's exception, if any, reaches the consumer unchanged
/// after the items read before it.
/// </summary>
public sealed class FlowReadAhead<T> : IAsyncDisposable
{
    private readonly IEnumerable<T>? _inLine;
    private readonly Channel<T>? _queue;
    private readonly Task? _producer;
    private readonly CancellationTokenSource? _stop;

    private FlowReadAhead(IEnumerable<T> inLine) => _inLine = inLine;

    private FlowReadAhead(IEnumerable<T> items, int capacity, CancellationToken ct)
    {
        _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var stop = _stop.Token;
        var writer = _queue.Writer;
        _producer = Task.Run(async () =>
        {
            try
            {
                foreach (var item in items)
                    await writer.WriteAsync(item, stop);
            }
            finally
            {
                writer.Complete();
            }
        }, CancellationToken.None);
    }

    /// <summary>Enumerates <paramref name="items"/> on the consumer's thread, as it asks.</summary>
    public static FlowReadAhead<T> InLine(IEnumerable<T> items) => new(items);

    /// <summary>Starts enumerating <paramref name="items"/> on a pool thread, at most <paramref name="capacity"/> items ahead.</summary>
    public static FlowReadAhead<T> Start(IEnumerable<T> items, int capacity, CancellationToken ct) => new(items, capacity, ct);

    /// <summary>The items in order; then the reader's exception, if it failed.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync()
    {
        if (_inLine is not null)
        {
            foreach (var item in _inLine) yield return item;
            yield break;
        }
        var reader = _queue!.Reader;
        while (await reader.WaitToReadAsync())
            while (reader.TryRead(out var item))
                yield return item;
        await _producer!; // rethrows what stopped the reader (an XmlException for a malformed flow)
    }

    /// <summary>Stops a reader still running (the consumer returned early) and waits for it, so its XmlReader can be disposed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_producer is null) return;
        await _stop!.CancelAsync();
        try { await _producer; }
        catch (Exception) { /* the consumer already has its answer; what the abandoned reader hit does not matter */ }
        _stop.Dispose();
    }
}
