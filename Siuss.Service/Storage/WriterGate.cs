namespace Siuss.Service.Storage;

/// <summary>
/// Lets one write transaction at a time into a SQLite file from this process. SQLite admits one writer
/// anyway; without the gate the others get SQLITE_BUSY and the driver retries them by sleeping on a
/// thread-pool thread, which under load turns into hundreds of milliseconds of tail latency. With it they
/// wait their turn asynchronously, in arrival order, and never see SQLITE_BUSY from each other.
/// Another process writing the same file (an operator verb) is still handled by the busy timeout.
/// </summary>
public sealed class WriterGate
{
    private readonly SemaphoreSlim? _semaphore;
    private readonly Lock _handover = new();
    private TaskCompletionSource<WriterLease>? _first;
    private TaskCompletionSource<bool>? _arrival;
    private int _waiting;

    private WriterGate(SemaphoreSlim? semaphore) => _semaphore = semaphore;

    /// <summary>A gate that serialises writers (SQLite: one writer per file).</summary>
    public static WriterGate Exclusive() => new(new SemaphoreSlim(1, 1));

    /// <summary>A gate that lets every writer through (SQL Server locks rows itself).</summary>
    public static WriterGate Open() => new(null);

    /// <summary>True while some writer waits for the turn: the one holding it may leave its work for that writer to commit.</summary>
    public bool HasWaiters => Volatile.Read(ref _waiting) > 0;

    /// <summary>Waits for the turn to write; dispose the lease right after the transaction commits or rolls back.</summary>
    public async ValueTask<WriterLease> EnterAsync(CancellationToken ct = default)
    {
        if (_semaphore is null) return WriterLease.None;
        if (_semaphore.Wait(0)) return new WriterLease(this);
        StartWaiting();
        try { await _semaphore.WaitAsync(ct).ConfigureAwait(false); }
        finally { Interlocked.Decrement(ref _waiting); }
        return new WriterLease(this);
    }

    /// <summary>
    /// Waits for the turn ahead of every writer in line: it is handed over as soon as the current holder leaves it.
    /// For short housekeeping that must find no writer in the middle of its work (one such waiter at a time).
    /// </summary>
    public async ValueTask<WriterLease> EnterFirstAsync(CancellationToken ct = default)
    {
        if (_semaphore is null) return WriterLease.None;
        TaskCompletionSource<WriterLease> first;
        lock (_handover)
        {
            if (_semaphore.Wait(0)) return new WriterLease(this);
            if (_first is not null) throw new InvalidOperationException("Another writer already waits ahead of the line.");
            _first = first = new TaskCompletionSource<WriterLease>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        StartWaiting();
        try
        {
            await using var cancel = ct.Register(() =>
            {
                lock (_handover) if (_first == first) _first = null;
                first.TrySetCanceled(ct);
            });
            return await first.Task.ConfigureAwait(false);
        }
        finally { Interlocked.Decrement(ref _waiting); }
    }

    /// <summary>
    /// For the holder of the turn: true as soon as another writer waits for it, false if none came within
    /// <paramref name="timeout"/>. One caller at a time (the holder).
    /// </summary>
    public async Task<bool> WaitForWaiterAsync(TimeSpan timeout)
    {
        if (_semaphore is null) return false;
        if (HasWaiters) return true;
        var arrival = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _arrival, arrival); // a full fence: the check below cannot be read before this write
        try
        {
            if (HasWaiters) return true; // came in before it could be told
            return await arrival.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException) { return HasWaiters; }
        finally { Interlocked.CompareExchange(ref _arrival, null, arrival); }
    }

    // Counts a writer in line and tells a holder waiting for one (WaitForWaiterAsync) that it came.
    private void StartWaiting()
    {
        Interlocked.Increment(ref _waiting);
        Interlocked.Exchange(ref _arrival, null)?.TrySetResult(true);
    }

    // Hands the turn to the writer waiting ahead of the line, if any, else to the next in line.
    internal void Leave()
    {
        lock (_handover)
        {
            if (_first is { } first)
            {
                _first = null;
                if (first.TrySetResult(new WriterLease(this))) return;
            }
            _semaphore!.Release();
        }
    }
}

/// <summary>The turn to write, held from BEGIN to COMMIT; disposing it lets the next writer in (idempotent).</summary>
public sealed class WriterLease : IDisposable
{
    internal static readonly WriterLease None = new(null);

    private WriterGate? _gate;

    internal WriterLease(WriterGate? gate) => _gate = gate;

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Leave();
}
