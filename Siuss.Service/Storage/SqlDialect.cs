using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Siuss.Service.Flows;

namespace Siuss.Service.Storage;

/// <summary>
/// What differs between the register's databases: how to open a connection, how an insert returns
/// its key, and how a unique-key clash is reported. Everything else is shared SQL.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>The provider name used in configuration.</summary>
    public abstract string Name { get; }

    /// <summary>Opens a new connection.</summary>
    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>Turns <c>INSERT INTO t (cols) VALUES (vals)</c> into one that returns the new <c>id</c>.</summary>
    public abstract string InsertReturningId(string table, string columns, string values);

    /// <summary>True when the exception is a unique-index or unique-constraint violation.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>The isolation level of a flow's write transaction; unique indexes do the rest.</summary>
    public abstract System.Data.IsolationLevel WriteIsolation { get; }

    /// <summary>True when commands with untyped parameters can be prepared (SqlClient wants sizes).</summary>
    public abstract bool PreparesUntypedCommands { get; }

    /// <summary>
    /// The VALUES expression that stores the raw flow in <c>submission_flows.raw_flusso</c>: the flow's bytes are never
    /// bound as one array, so a 50 MB flow is not copied into memory to be stored.
    /// </summary>
    public abstract string RawFlowValue { get; }

    /// <summary>Binds what <see cref="RawFlowValue"/> needs to <paramref name="parameters"/>.</summary>
    public abstract void BindRawFlow(DynamicParameters parameters, ReceivedFlow flow);

    /// <summary>After the raw-flow row is inserted, writes the flow bytes into it where the dialect needs a second step.</summary>
    public abstract Task WriteRawFlowAsync(DbConnection connection, long submissionId, ReceivedFlow flow, CancellationToken ct);

    /// <summary>True when the exception names the given unique index or constraint.</summary>
    public bool IsUniqueViolation(DbException exception, string indexName) =>
        IsUniqueViolation(exception) && UniqueViolationNames(exception, indexName);

    /// <summary>The embedded SQLite dialect.</summary>
    public static readonly SqlDialect Sqlite = new SqliteDialect();

    /// <summary>The SQL Server dialect.</summary>
    public static readonly SqlDialect SqlServer = new SqlServerDialect();

    /// <summary>The dialect for a configured provider name.</summary>
    public static SqlDialect For(string provider) => provider.ToLowerInvariant() switch
    {
        "sqlite" => Sqlite,
        "sqlserver" or "mssql" => SqlServer,
        _ => throw new ArgumentException($"Unknown database provider '{provider}'; use Sqlite or SqlServer."),
    };

    protected abstract bool UniqueViolationNames(DbException exception, string indexName);

    private sealed class SqliteDialect : SqlDialect
    {
        private const int SqliteConstraintUnique = 2067;
        private const int SqliteConstraintPrimaryKey = 1555;

        public override string Name => "Sqlite";
        // SQLite transactions are serializable; this one takes the write lock at BEGIN (IMMEDIATE).
        public override System.Data.IsolationLevel WriteIsolation => System.Data.IsolationLevel.Serializable;
        public override bool PreparesUntypedCommands => true;
        public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);
        public override string InsertReturningId(string table, string columns, string values) =>
            $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id";
        // A zero-filled blob of the flow's size, then incremental BLOB I/O into it, in the same transaction.
        public override string RawFlowValue => "zeroblob(@RawFlussoSize)";
        public override void BindRawFlow(DynamicParameters parameters, ReceivedFlow flow) => parameters.Add("RawFlussoSize", flow.Length);
        public override Task WriteRawFlowAsync(DbConnection connection, long submissionId, ReceivedFlow flow, CancellationToken ct)
        {
            // submission_flows.submission_id is INTEGER PRIMARY KEY, so it is the rowid the blob handle needs.
            // Synchronous on purpose: SqliteBlob has no async I/O of its own, so Stream.CopyToAsync would run each write
            // through Stream.BeginWrite on another thread-pool thread, and the rest of the flow (the writer's whole turn)
            // would continue on that thread: a thread hop and its wake-ups per flow, for I/O SQLite does synchronously anyway.
            ct.ThrowIfCancellationRequested();
            using var blob = new SqliteBlob((SqliteConnection)connection, "submission_flows", "raw_flusso", submissionId, readOnly: false);
            using var source = flow.OpenRead();
            source.CopyTo(blob, (int)Math.Clamp(flow.Length, 1, 64 * 1024));
            return Task.CompletedTask;
        }
        public override bool IsUniqueViolation(DbException exception) =>
            exception is SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey };

        // SQLite names the columns, not the index, so map the index to its leading column set.
        protected override bool UniqueViolationNames(DbException exception, string indexName) => indexName switch
        {
            "ux_submissions_message" => exception.Message.Contains("submissions.id_messaggio", StringComparison.Ordinal),
            "ux_submissions_acquired_flow" => exception.Message.Contains("submissions.nome_flusso", StringComparison.Ordinal),
            "ux_benefit_records_active_key" => exception.Message.Contains("benefit_records.", StringComparison.Ordinal),
            _ => exception.Message.Contains(indexName, StringComparison.Ordinal),
        };
    }

    private sealed class SqlServerDialect : SqlDialect
    {
        private const int DuplicateKeyInUniqueIndex = 2601;
        private const int UniqueConstraintViolation = 2627;

        public override string Name => "SqlServer";
        public override System.Data.IsolationLevel WriteIsolation => System.Data.IsolationLevel.ReadCommitted;
        public override bool PreparesUntypedCommands => false;
        public override DbConnection CreateConnection(string connectionString) => new SqlConnection(connectionString);
        public override string InsertReturningId(string table, string columns, string values) =>
            $"INSERT INTO {table} ({columns}) OUTPUT INSERTED.id VALUES ({values})";
        // SqlClient streams a Stream parameter to a VARBINARY(MAX) column instead of buffering it.
        public override string RawFlowValue => "@RawFlusso";
        public override void BindRawFlow(DynamicParameters parameters, ReceivedFlow flow) =>
            parameters.Add("RawFlusso", flow.OpenRead(), DbType.Binary, size: -1);
        public override Task WriteRawFlowAsync(DbConnection connection, long submissionId, ReceivedFlow flow, CancellationToken ct) => Task.CompletedTask;
        public override bool IsUniqueViolation(DbException exception) =>
            exception is SqlException { Number: DuplicateKeyInUniqueIndex or UniqueConstraintViolation };
        protected override bool UniqueViolationNames(DbException exception, string indexName) =>
            exception.Message.Contains(indexName, StringComparison.Ordinal);
    }
}
