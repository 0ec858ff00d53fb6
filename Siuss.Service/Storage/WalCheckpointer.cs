using System.Data.Common;

namespace Siuss.Service.Storage;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file on a thread of its own. SQLite's automatic
/// checkpoint runs inside the COMMIT that crosses 1,000 WAL pages, so one writer in every few dozen spent
/// milliseconds (and two fsyncs) copying pages while every other writer waited for its turn. Here the writer
/// connection has automatic checkpoints off and, after it commits, wakes this thread, which runs a PASSIVE
/// checkpoint (it never blocks writers or readers) at most once per <see cref="Interval"/>. Between
/// checkpoints the WAL only grows; once one has copied everything, the next write transaction starts the log
/// from the beginning again.
/// <para>
/// Under sustained load that moment never came: a commit landed while each checkpoint ran (its fsyncs take
/// milliseconds), so the log was never wholly copied when the next writer began, and it grew without bound
/// (330-500 MB in 8-12 s at 64 clients; every frame appended to new blocks of the file, every page lookup walking
/// a longer WAL index). So once the log holds <see cref="MaxLogFrames"/> frames, the checkpointer copies again
/// while fewer frames arrive, then takes the writers' turn ahead of those in line and copies the rest; nothing commits
/// before the next writer begins, which can then restart the log (the shared writer's journal_size_limit trims the file).
/// </para>
/// </summary>
public sealed class WalCheckpointer : IDisposable
{
    /// <summary>The shortest time between two checkpoints: commits in between are copied by the next one.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The log length (frames, ~4 KiB each: ~256 MiB) past which a checkpoint is completed in the writers' turn. That
    /// turn held writers for 3-18 ms at 64 clients on a 2-core VM (the checkpoint's fsyncs), every ~6 s at this length.
    /// </summary>
    public const int DefaultMaxLogFrames = 64 * 1024;

    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly Func<CancellationToken, Task<IDisposable>>? _enterWriteTurn;
    private readonly SemaphoreSlim _committed = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lazy<Thread> _thread;
    private long _checkpoints;
    private long _completedInTurn;
    private long _logFrames;

    /// <summary>
    /// Creates the checkpointer; its thread starts with the first commit it is told about. With
    /// <paramref name="enterWriteTurn"/>, a log longer than <paramref name="maxLogFrames"/> is wholly copied in the
    /// writers' turn so that it can restart; without, the log is left to restart whenever writers pause.
    /// </summary>
    public WalCheckpointer(Func<CancellationToken, Task<DbConnection>> open,
        Func<CancellationToken, Task<IDisposable>>? enterWriteTurn = null, int maxLogFrames = DefaultMaxLogFrames)
    {
        _open = open;
        _enterWriteTurn = enterWriteTurn;
        MaxLogFrames = maxLogFrames;
        _thread = new Lazy<Thread>(() =>
        {
            var thread = new Thread(Run) { IsBackground = true, Name = "SQLite WAL checkpointer" };
            thread.Start();
            return thread;
        });
    }

    /// <summary>The log length (frames) past which a checkpoint is completed in the writers' turn.</summary>
    public int MaxLogFrames { get; }

    /// <summary>How many checkpoints have run (for tests and diagnostics).</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>How many checkpoints copied the whole log in the writers' turn because it had grown too long.</summary>
    public long CompletedInTurn => Interlocked.Read(ref _completedInTurn);

    /// <summary>How many frames the log held at the last checkpoint (for tests and diagnostics).</summary>
    public long LogFrames => Interlocked.Read(ref _logFrames);

    /// <summary>Tells the checkpointer a transaction committed; cheap, never blocks.</summary>
    public void NotifyCommitted()
    {
        if (_stop.IsCancellationRequested) return;
        _ = _thread.Value;
        try { _committed.Release(); }
        catch (SemaphoreFullException) { /* a checkpoint is already due */ }
        catch (ObjectDisposedException) { /* shutting down */ }
    }

    private void Run()
    {
        DbConnection? connection = null;
        try
        {
            while (true)
            {
                _committed.Wait(_stop.Token);
                // Let commits accumulate: one checkpoint copies each page once, however often it changed.
                if (_stop.Token.WaitHandle.WaitOne(Interval)) return;
                try
                {
                    connection ??= _open(_stop.Token).GetAwaiter().GetResult();
                    // The bulk of the copy (and its fsyncs) outside the turn; only what was committed meanwhile inside it.
                    var logFrames = Checkpoint(connection).LogFrames;
                    if (logFrames >= MaxLogFrames && _enterWriteTurn is not null)
                    {
                        CatchUp(connection, logFrames);
                        CompleteInTurn(connection);
                    }
                    Interlocked.Increment(ref _checkpoints);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Busy or failing now: the next commit asks again (this thread must outlive any one failure, or the
                    // WAL would grow without bound), and SQLite checkpoints when the last connection closes.
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            connection?.Dispose();
        }
    }

    // A checkpoint's two fsyncs take milliseconds per hundred frames here, and writers commit meanwhile: copy again
    // (outside the turn) until few frames arrived during the last copy, so that the copy in the turn is short.
    private void CatchUp(DbConnection connection, long logFrames)
    {
        for (int round = 0; round < MaxCatchUpRounds; round++)
        {
            var now = Checkpoint(connection).LogFrames;
            if (now - logFrames < FewFrames) return;
            logFrames = now;
        }
    }

    private const int MaxCatchUpRounds = 4;
    private const int FewFrames = 64;

    // Even a checkpoint that copied the whole log usually saw commits land while it ran: those are copied now, with no
    // writer able to add more (the checkpointer goes ahead of the writers in line), so that the next writer finds the
    // log wholly copied and can start it again - unless a reader still holds a snapshot older than the copy (readers
    // here run one short statement), in which case the log grows until a later checkpoint tries again.
    private void CompleteInTurn(DbConnection connection)
    {
        bool whole;
        using (_enterWriteTurn!(_stop.Token).GetAwaiter().GetResult())
            whole = Checkpoint(connection).Whole;
        if (whole) Interlocked.Increment(ref _completedInTurn);
    }

    // PASSIVE copies what no reader still needs and never waits; it answers (busy, frames in the log, frames copied),
    // -1 for both counts when it could not run. Returns the frames in the log (0 when it could not run) and whether
    // every one of them is now in the database file.
    private (long LogFrames, bool Whole) Checkpoint(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        reader.Read();
        var (busy, logFrames, copied) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        if (busy != 0 || logFrames < 0) return (Math.Max(logFrames, 0), false);
        Interlocked.Exchange(ref _logFrames, logFrames);
        return (logFrames, copied == logFrames);
    }

    /// <summary>Stops the thread (after the checkpoint it may be running) and closes its connection.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        if (_thread.IsValueCreated) _thread.Value.Join();
        _stop.Dispose();
        _committed.Dispose();
    }
}
