using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Siuss.Service.Options;

namespace Siuss.Service.Storage;

/// <summary>The configured database: its dialect and a way to open connections to it.</summary>
public sealed class Database : IAsyncDisposable, IDisposable
{
    /// <summary>The SQL dialect in use.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>The resolved connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Who may write now: one writer at a time for SQLite, everyone for SQL Server.</summary>
    public WriterGate Writers { get; }

    /// <summary>The connection SQLite writers share while they hold their turn; null for SQL Server, where each writer opens its own.</summary>
    public WriterConnection? SharedWriter { get; }

    /// <summary>The lookups every submission makes, on connections that keep them compiled (SQLite).</summary>
    public PreparedReads Reads { get; }

    // Copies the WAL into the database file in the background, in place of SQLite's checkpoint inside a writer's COMMIT.
    private readonly WalCheckpointer? _checkpointer;

    // Run on every SQLite connection opened: the setting is per connection, not per file.
    private readonly string? _sqlitePragmas;

    /// <summary>Creates the database handle from options; for SQLite, makes sure the data folder exists.</summary>
    public Database(IOptions<SiussOptions> options) : this(options.Value) { }

    /// <summary>Creates the database handle from options.</summary>
    public Database(SiussOptions options)
    {
        Dialect = SqlDialect.For(options.Database.Provider);
        ConnectionString = Dialect == SqlDialect.Sqlite
            ? SqliteConnectionString(options)
            : Dialect.Normalize(options.Database.ConnectionString
              ?? throw new InvalidOperationException($"Siuss:Database:ConnectionString is required for {Dialect.Name}."));
        if (Dialect == SqlDialect.Sqlite)
        {
            var level = options.Database.SqliteSynchronous.ToUpperInvariant();
            if (level is not ("NORMAL" or "FULL" or "EXTRA"))
                throw new InvalidOperationException($"Siuss:Database:SqliteSynchronous must be NORMAL, FULL or EXTRA, not '{level}'.");
            _sqlitePragmas = $"PRAGMA synchronous={level};";
        }
        Writers = GateFor(Dialect);
        Reads = new PreparedReads(OpenAsync, keepConnections: Dialect == SqlDialect.Sqlite);
        (SharedWriter, _checkpointer) = SharedWriterFor(Dialect,
            GroupCommitLimits.Default with { MaxFlows = Math.Max(1, options.Database.GroupCommitMaxFlows) }, WalCheckpointer.DefaultMaxLogFrames);
    }

    /// <summary>Creates a handle on an explicit dialect and connection string (tests, tools).</summary>
    public Database(SqlDialect dialect, string connectionString, GroupCommitLimits? groupCommit = null,
        int walMaxLogFrames = WalCheckpointer.DefaultMaxLogFrames)
    {
        Dialect = dialect;
        ConnectionString = dialect == SqlDialect.Sqlite ? connectionString : dialect.Normalize(connectionString);
        Writers = GateFor(dialect);
        Reads = new PreparedReads(OpenAsync, keepConnections: dialect == SqlDialect.Sqlite);
        (SharedWriter, _checkpointer) = SharedWriterFor(dialect, groupCommit ?? GroupCommitLimits.Default, walMaxLogFrames);
    }

    /// <summary>The background WAL checkpointer (SQLite); null for SQL Server.</summary>
    public WalCheckpointer? Checkpointer => _checkpointer;

    private (WriterConnection?, WalCheckpointer?) SharedWriterFor(SqlDialect dialect, GroupCommitLimits groupCommit, int walMaxLogFrames)
    {
        if (dialect != SqlDialect.Sqlite) return (null, null);
        var checkpointer = new WalCheckpointer(OpenAsync, EnterCheckpointTurnAsync, walMaxLogFrames);
        return (new WriterConnection(OpenWriterAsync, groupCommit, checkpointer.NotifyCommitted), checkpointer);
    }

    // The shared writer leaves checkpoints to the checkpointer; other connections keep SQLite's automatic ones as a safety net.
    // Its savepoints' sub-journals stay in memory: on disk, each group of flows past 64 KiB of them created, wrote and
    // deleted a temporary file (~50 a second at 64 clients). A group is bounded (GroupCommitLimits), and so is the memory.
    // When the log restarts, its file is trimmed back to about the checkpointer's limit (journal_size_limit).
    // It is a connection of its own, outside the pool, so that these settings never reach a reader's connection.
    private async Task<DbConnection> OpenWriterAsync(CancellationToken ct)
    {
        var connection = Dialect.CreateConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(ct);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = _sqlitePragmas + $"PRAGMA wal_autocheckpoint=0; PRAGMA temp_store=MEMORY; PRAGMA journal_size_limit={_checkpointer!.MaxLogFrames * 4096L};";
            await pragma.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The turn to write for a writer with a connection of its own (not the shared one): waits for the turn,
    /// then commits the group the shared connection may hold open, which would otherwise keep SQLite's write lock.
    /// </summary>
    public async Task<WriterLease> EnterWriteTurnAsync(CancellationToken ct = default) =>
        await WithPendingGroupCommittedAsync(await Writers.EnterAsync(ct));

    // The checkpointer's turn, ahead of the writers in line: it must copy the frames they commit while it waits.
    private async Task<IDisposable> EnterCheckpointTurnAsync(CancellationToken ct) =>
        await WithPendingGroupCommittedAsync(await Writers.EnterFirstAsync(ct));

    private async Task<WriterLease> WithPendingGroupCommittedAsync(WriterLease lease)
    {
        try
        {
            if (SharedWriter is { HasPendingGroup: true } shared) await shared.CommitPendingAsync();
            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until the group a flow was written in has committed; throws if the group failed. A group is committed by
    /// the writer holding the turn after this flow; should that writer give up waiting for its turn, nobody may be left
    /// to commit, so after a while this flow takes the turn and commits the group itself.
    /// </summary>
    public async Task WaitForGroupCommitAsync(GroupedFlow flow, CancellationToken ct = default)
    {
        var committed = flow.Committed;
        if (!committed.IsCompleted)
        {
            try { await committed.WaitAsync(GroupCommitFallback, ct); }
            catch (TimeoutException)
            {
                using (await Writers.EnterAsync(ct))
                {
                    if (!committed.IsCompleted && ReferenceEquals(SharedWriter?.PendingGroup, flow.Transaction))
                        await SharedWriter!.CommitPendingAsync();
                }
            }
        }
        await committed;
    }

    private static readonly TimeSpan GroupCommitFallback = TimeSpan.FromSeconds(1);

    /// <summary>Stops the checkpointer, closes the kept read connections and the shared writer connection, committing what it holds (the last connection to close checkpoints the WAL).</summary>
    public async ValueTask DisposeAsync()
    {
        _checkpointer?.Dispose();
        Reads.Dispose();
        if (SharedWriter is null) return;
        using var turn = await Writers.EnterAsync();
        await SharedWriter.DisposeAsync();
    }

    /// <summary>Closes the shared writer connection without waiting for the turn (at shutdown no writer should be running).</summary>
    public void Dispose()
    {
        _checkpointer?.Dispose();
        Reads.Dispose();
        SharedWriter?.Dispose();
    }

    private static WriterGate GateFor(SqlDialect dialect) => dialect == SqlDialect.Sqlite ? WriterGate.Exclusive() : WriterGate.Open();

    /// <summary>Opens a new connection.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = Dialect.CreateConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // A pooled SQLite connection keeps its pragmas: set them once per physical connection, not on every open
            // (each submission opens three for its reads). Remembered only once they are set.
            if (_sqlitePragmas is not null && connection is SqliteConnection { Handle: { } handle } && !PragmasAlreadySet(handle))
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = _sqlitePragmas;
                await pragma.ExecuteNonQueryAsync(cancellationToken);
                PragmasSet.AddOrUpdate(handle, _sqlitePragmas);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // The pragmas last set on each physical SQLite connection (an entry goes with its connection): the pool is shared
    // by every Database on the same file, which may want other settings (tests do).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, string> PragmasSet = new();

    private bool PragmasAlreadySet(object handle) => PragmasSet.TryGetValue(handle, out var set) && set == _sqlitePragmas;

    private static string SqliteConnectionString(SiussOptions options)
    {
        var builder = new SqliteConnectionStringBuilder(options.Database.ConnectionString ?? "");
        if (string.IsNullOrEmpty(builder.DataSource))
        {
            Directory.CreateDirectory(options.DataDirectoryFullPath);
            builder.DataSource = Path.Combine(options.DataDirectoryFullPath, "siuss.db");
        }
        builder.ForeignKeys = true;
        builder.Pooling = true;
        // The busy timeout: writers queue behind each other instead of failing at once.
        builder.DefaultTimeout = 60;
        return builder.ToString();
    }
}
