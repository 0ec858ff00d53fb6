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
/// </summary>
public sealed class WalCheckpointer : IDisposable
{
    /// <summary>The shortest time between two checkpoints: commits in between are copied by the next one.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    private readonly SemaphoreSlim _committed = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lazy<Thread> _thread;
    private long _checkpoints;

    /// <summary>Creates the checkpointer; its thread starts with the first commit it is told about.</summary>
    public WalCheckpointer(Func<CancellationToken, Task<DbConnection>> open)
    {
        _open = open;
        _thread = new Lazy<Thread>(() =>
        {
            var thread = new Thread(Run) { IsBackground = true, Name = "SQLite WAL checkpointer" };
            thread.Start();
            return thread;
        });
    }

    /// <summary>How many checkpoints have run (for tests and diagnostics).</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

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
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    command.ExecuteNonQuery();
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

    /// <summary>Stops the thread (after the checkpoint it may be running) and closes its connection.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        if (_thread.IsValueCreated) _thread.Value.Join();
        _stop.Dispose();
        _committed.Dispose();
    }
}
