using System.Data;
using System.Data.Common;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;
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

    /// <summary>
    /// The connection string the register uses for a configured one: settings the dialect needs whatever the operator
    /// wrote (none for SQLite, whose string <see cref="Database"/> builds itself).
    /// </summary>
    public virtual string Normalize(string connectionString) => connectionString;

    /// <summary>
    /// The INSERT of a benefit record (<paramref name="insert"/>, without its end) made to report a clash on the active
    /// natural key by changing no row instead of by an error, or unchanged when the dialect's error leaves the
    /// transaction usable (SQLite, SQL Server). PostgreSQL aborts the whole transaction on any error, so there a clash
    /// must not be one: <c>ON CONFLICT ... DO NOTHING</c> waits, like the unique index itself, for a concurrent
    /// transaction holding the same key, and then inserts nothing if that one committed.
    /// </summary>
    public virtual string InsertUnlessActive(string insert, string activeKeyColumns, string activePredicate) => insert;

    /// <summary>True when <see cref="InsertUnlessActive"/> reports a clash as "no row changed" rather than as an error.</summary>
    public virtual bool ReportsActiveClashAsNoRow => false;

    /// <summary>True when the exception names the given unique index or constraint.</summary>
    public bool IsUniqueViolation(DbException exception, string indexName) =>
        IsUniqueViolation(exception) && UniqueViolationNames(exception, indexName);

    /// <summary>The embedded SQLite dialect.</summary>
    public static readonly SqlDialect Sqlite = new SqliteDialect();

    /// <summary>The SQL Server dialect.</summary>
    public static readonly SqlDialect SqlServer = new SqlServerDialect();

    /// <summary>The PostgreSQL dialect.</summary>
    public static readonly SqlDialect PostgreSql = new PostgreSqlDialect();

    /// <summary>The dialect for a configured provider name.</summary>
    public static SqlDialect For(string provider) => provider.ToLowerInvariant() switch
    {
        "sqlite" => Sqlite,
        "sqlserver" or "mssql" => SqlServer,
        "postgresql" or "postgres" => PostgreSql,
        _ => throw new ArgumentException($"Unknown database provider '{provider}'; use Sqlite, SqlServer or PostgreSql."),
    };

    /// <summary>True for the server databases, where each flow is written in a transaction of its own (not SQLite's group commit).</summary>
    public bool IsServer => this != Sqlite;

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

    private sealed class PostgreSqlDialect : SqlDialect
    {
        public override string Name => "PostgreSql";
        // As on SQL Server: unique indexes and the receipt_sequence row lock settle what concurrent flows may do.
        public override System.Data.IsolationLevel WriteIsolation => System.Data.IsolationLevel.ReadCommitted;
        // Npgsql prepares a command from its parameters' types, which an untyped parameter has not yet.
        public override bool PreparesUntypedCommands => false;
        public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

        // Instants are timestamptz; a DateTime whose Kind is not Utc is read by the server in the session's time zone,
        // so the session's zone is UTC whatever the server's default (the register's clock is UTC).
        public override string Normalize(string connectionString) =>
            new NpgsqlConnectionStringBuilder(connectionString) { Timezone = "UTC" }.ToString();

        public override string InsertReturningId(string table, string columns, string values) =>
            $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING id";
        public override string InsertUnlessActive(string insert, string activeKeyColumns, string activePredicate) =>
            $"{insert} ON CONFLICT ({activeKeyColumns}) WHERE {activePredicate} DO NOTHING";
        public override bool ReportsActiveClashAsNoRow => true;

        // Npgsql sends a Stream parameter to bytea from the stream, in chunks, without an array of the whole flow.
        public override string RawFlowValue => "@RawFlusso";
        public override void BindRawFlow(DynamicParameters parameters, ReceivedFlow flow) =>
            parameters.Add("RawFlusso", flow.OpenRead(), DbType.Binary);
        public override Task WriteRawFlowAsync(DbConnection connection, long submissionId, ReceivedFlow flow, CancellationToken ct) => Task.CompletedTask;

        public override bool IsUniqueViolation(DbException exception) =>
            exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
        protected override bool UniqueViolationNames(DbException exception, string indexName) =>
            exception is PostgresException { ConstraintName: { } name } && name == indexName;
    }
}
