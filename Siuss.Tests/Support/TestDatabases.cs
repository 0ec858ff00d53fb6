using Microsoft.Data.Sqlite;
using Siuss.Service.Storage;

namespace Siuss.Tests.Support;

/// <summary>
/// The database engines the storage, submission, query, concurrency and crash tests run on: SQLite and PostgreSQL
/// always (PostgreSQL from <see cref="PostgresCluster"/>), SQL Server when <c>SIUSS_TEST_SQLSERVER</c> names one.
/// </summary>
public static class TestDatabases
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSql";
    public const string SqlServer = "SqlServer";
    public const string SqlServerVariable = "SIUSS_TEST_SQLSERVER";

    /// <summary>The engines to run on (a fixture source).</summary>
    public static IEnumerable<string> Engines()
    {
        yield return Sqlite;
        yield return PostgreSql;
        if (!string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable(SqlServerVariable))) yield return SqlServer;
    }

    /// <summary>
    /// The register's configuration for a fresh, empty database on <paramref name="engine"/>: nothing for SQLite (the
    /// register makes its file in its data folder), a new database's provider and connection string otherwise.
    /// </summary>
    public static IDictionary<string, string> Settings(string engine) => engine switch
    {
        Sqlite => new Dictionary<string, string>(),
        PostgreSql => Server(PostgreSql, PostgresCluster.NewDatabase()),
        SqlServer => Server(SqlServer, System.Environment.GetEnvironmentVariable(SqlServerVariable)!),
        _ => throw new ArgumentException(engine),
    };

    /// <summary>A database handle on a fresh, empty database of <paramref name="engine"/> (for SQLite, a new file under <paramref name="folder"/>).</summary>
    public static Database Open(string engine, string folder) => engine switch
    {
        Sqlite => new Database(SqlDialect.Sqlite, new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, $"siuss-{Guid.NewGuid():N}.db"), ForeignKeys = true,
        }.ToString()),
        _ => new Database(SqlDialect.For(engine), Settings(engine)["Siuss:Database:ConnectionString"]),
    };

    /// <summary>Configuration keys as a process's environment variables (<c>Siuss:Database:Provider</c> as <c>Siuss__Database__Provider</c>).</summary>
    public static IDictionary<string, string> Environment(IDictionary<string, string> settings) =>
        settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    /// <summary>
    /// A handle on the database a register configured with <paramref name="settings"/> uses; <paramref name="dataDirectory"/>
    /// holds the SQLite file when the settings name no server.
    /// </summary>
    public static Database Attach(IDictionary<string, string> settings, string dataDirectory) =>
        settings.TryGetValue("Siuss:Database:Provider", out var provider)
            ? new Database(SqlDialect.For(provider), settings["Siuss:Database:ConnectionString"])
            : new Database(SqlDialect.Sqlite, new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(dataDirectory, "siuss.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false,
            }.ToString());

    private static Dictionary<string, string> Server(string provider, string connectionString) => new()
    {
        ["Siuss:Database:Provider"] = provider,
        ["Siuss:Database:ConnectionString"] = connectionString,
    };
}
