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
    // Items cross threads in chunks: with a slower consumer the queue is full, and handing items over one by one
    // cost a waiting-writer object and a thread-pool wake-up per item.
    private const int MaxChunkItems = 32;

    private readonly IEnumerable<T>? _inLine;
    private readonly Channel<T[]>? _queue;
    private readonly Task? _producer;
    private readonly CancellationTokenSource? _stop;

    private FlowReadAhead(IEnumerable<T> inLine) => _inLine = inLine;

    private FlowReadAhead(IEnumerable<T> items, int capacity, CancellationToken ct)
    {
        // Chunks of up to 32 items, and as many of them queued as make the capacity (a small capacity keeps single items).
        int chunkItems = Math.Clamp(capacity / 8, 1, MaxChunkItems);
        _queue = Channel.CreateBounded<T[]>(new BoundedChannelOptions(Math.Max(1, capacity / chunkItems)) { SingleReader = true, SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var stop = _stop.Token;
        var writer = _queue.Writer;
        _producer = Task.Run(() => ProduceAsync(items, writer, chunkItems, stop), CancellationToken.None);
    }

    private static async Task ProduceAsync(IEnumerable<T> items, ChannelWriter<T[]> writer, int chunkItems, CancellationToken stop)
    {
        var chunk = new T[chunkItems];
        int count = 0;
        try
        {
            foreach (var item in items)
            {
                chunk[count++] = item;
                if (count < chunkItems) continue;
                await writer.WriteAsync(chunk, stop);
                chunk = new T[chunkItems];
                count = 0;
            }
        }
        finally
        {
            try
            {
                // The items read before the end, or before the reader failed, still reach the consumer (then the failure).
                if (count > 0 && !stop.IsCancellationRequested) await writer.WriteAsync(chunk[..count], stop);
            }
            finally
            {
                writer.Complete();
            }
        }
    }

    /// <summary>Enumerates <paramref name="items"/> on the consumer's thread, as it asks.</summary>
    public static FlowReadAhead<T> InLine(IEnumerable<T> items) => new(items);

    /// <summary>Starts enumerating <paramref name="items"/> on a pool thread, at most <paramref name="capacity"/> items (plus the chunk being filled) ahead.</summary>
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
            while (reader.TryRead(out var chunk))
                foreach (var item in chunk)
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
