using System.Reflection;
using DbUp;
using DbUp.Engine;
using Microsoft.Data.Sqlite;

namespace Siuss.Service.Storage;

/// <summary>Brings the database schema up to date with DbUp, from the scripts embedded for its dialect.</summary>
public sealed class DatabaseMigrator(Database database)
{
    /// <summary>The embedded scripts of a dialect, in order (also used by the tests to parse them).</summary>
    public static IReadOnlyList<(string Name, string Sql)> Scripts(SqlDialect dialect)
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var prefix = $"Siuss.Service.Storage.Migrations.{dialect.Name}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n, ReadResource(assembly, n)))
            .ToList();
    }

    /// <summary>Applies every script not yet applied; throws when one fails.</summary>
    public void Migrate()
    {
        var scripts = Scripts(database.Dialect).Select(s => new SqlScript(s.Name, s.Sql)).ToList();
        UpgradeEngine engine;
        if (database.Dialect == SqlDialect.Sqlite)
        {
            PrepareSqlite();
            engine = DeployChanges.To.SqliteDatabase(database.ConnectionString)
                .WithScripts(scripts).WithTransactionPerScript().LogToNowhere().Build();
        }
        else if (database.Dialect == SqlDialect.PostgreSql)
        {
            EnsureDatabase.For.PostgresqlDatabase(database.ConnectionString, Quiet);
            engine = DeployChanges.To.PostgresqlDatabase(database.ConnectionString)
                .WithScripts(scripts).WithTransactionPerScript().LogToNowhere().Build();
            // Hosts started together on a new database would each apply the scripts: one at a time, the others then find them applied.
            using var migrationLock = PostgreSqlMigrationLock.Take(database.ConnectionString);
            Upgrade(engine);
            return;
        }
        else
        {
            EnsureDatabase.For.SqlDatabase(database.ConnectionString, Quiet);
            engine = DeployChanges.To.SqlDatabase(database.ConnectionString)
                .WithScripts(scripts).WithTransactionPerScript().LogToNowhere().Build();
        }

        Upgrade(engine);
    }

    // EnsureDatabase logs to the console by default, connection string (and its password) included: the register's
    // output stays its own, and a CSV an operator verb prints starts with its header.
    private static readonly DbUp.Engine.Output.IUpgradeLog Quiet = new DbUp.Engine.Output.NoOpUpgradeLog();

    private void Upgrade(UpgradeEngine engine)
    {
        var result = engine.PerformUpgrade();
        if (!result.Successful)
            throw new InvalidOperationException($"Database migration failed at {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
        // Data a migration script cannot compute in SQL (a SHA-256 both dialects agree on) is filled in here.
        new RecordDigestBackfill(database).Run();
    }

    // A session-level advisory lock on a connection of its own, held while the scripts run on DbUp's connections.
    // Outside the pool: a pooled connection's session outlives its Dispose, and with it a lock not released.
    private sealed class PostgreSqlMigrationLock : IDisposable
    {
        // Any fixed number the register's sessions agree on; "SIUSS" in ASCII.
        private const long Key = 0x5349555353;
        private readonly Npgsql.NpgsqlConnection _connection;

        private PostgreSqlMigrationLock(Npgsql.NpgsqlConnection connection) => _connection = connection;

        public static PostgreSqlMigrationLock Take(string connectionString)
        {
            // Waits as long as another host's migration takes, not the default 30 s of a command.
            var connection = new Npgsql.NpgsqlConnection(
                new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 }.ToString());
            try
            {
                connection.Open();
                using var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({Key})", connection);
                command.ExecuteNonQuery();
                return new PostgreSqlMigrationLock(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        // Closing the (unpooled) session releases its advisory locks.
        public void Dispose() => _connection.Dispose();
    }

    // WAL lets readers run beside the one writer, and survives a process crash with synchronous=NORMAL.
    private void PrepareSqlite()
    {
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
