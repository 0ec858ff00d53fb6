using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

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
        public override bool IsUniqueViolation(DbException exception) =>
            exception is SqlException { Number: DuplicateKeyInUniqueIndex or UniqueConstraintViolation };
        protected override bool UniqueViolationNames(DbException exception, string indexName) =>
            exception.Message.Contains(indexName, StringComparison.Ordinal);
    }
}
