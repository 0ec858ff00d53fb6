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
            : options.Database.ConnectionString
              ?? throw new InvalidOperationException("Siuss:Database:ConnectionString is required for SQL Server.");
        if (Dialect == SqlDialect.Sqlite)
        {
            var level = options.Database.SqliteSynchronous.ToUpperInvariant();
            if (level is not ("NORMAL" or "FULL" or "EXTRA"))
                throw new InvalidOperationException($"Siuss:Database:SqliteSynchronous must be NORMAL, FULL or EXTRA, not '{level}'.");
            _sqlitePragmas = $"PRAGMA synchronous={level};";
        }
        Writers = GateFor(Dialect);
        SharedWriter = SharedWriterFor(Dialect);
    }

    /// <summary>Creates a handle on an explicit dialect and connection string (tests, tools).</summary>
    public Database(SqlDialect dialect, string connectionString)
    {
        Dialect = dialect;
        ConnectionString = connectionString;
        Writers = GateFor(dialect);
        SharedWriter = SharedWriterFor(dialect);
    }

    private WriterConnection? SharedWriterFor(SqlDialect dialect) => dialect == SqlDialect.Sqlite ? new WriterConnection(OpenAsync) : null;

    /// <summary>Closes the shared writer connection (the last connection to close checkpoints the WAL).</summary>
    public async ValueTask DisposeAsync()
    {
        if (SharedWriter is null) return;
        using var turn = await Writers.EnterAsync();
        await SharedWriter.DisposeAsync();
    }

    /// <summary>Closes the shared writer connection without waiting for the turn (at shutdown no writer should be running).</summary>
    public void Dispose() => SharedWriter?.Dispose();

    private static WriterGate GateFor(SqlDialect dialect) => dialect == SqlDialect.Sqlite ? WriterGate.Exclusive() : WriterGate.Open();

    /// <summary>Opens a new connection.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = Dialect.CreateConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        if (_sqlitePragmas is not null)
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = _sqlitePragmas;
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }
        return connection;
    }

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
