namespace Siuss.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests use: the one <c>SIUSS_TEST_POSTGRES</c> names (a connection string whose user may
/// create databases), else a throwaway cluster this test run starts itself (<c>initdb</c> and <c>pg_ctl</c> on a temp
/// folder, a free loopback port) and stops at the end of the run. Each caller gets a database of its own.
/// </summary>
internal static class PostgresCluster
{
    public const string Variable = "SIUSS_TEST_POSTGRES";

    private static readonly Lazy<Server> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static string NewDatabase() => ThrowawayPostgres.NewDatabase(Started.Value.AdminConnectionString);

    /// <summary>Stops the cluster this run started, if any (the assembly's last teardown).</summary>
    public static void StopIfStarted()
    {
        if (Started.IsValueCreated) Started.Value.Dispose();
    }

    private static Server Start()
    {
        var named = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(named)) return new Server(named, null);
        // fsync off: a test cluster lives as long as the test run, and the crash tests kill a register process,
        // never the database server, so what they prove does not depend on the server's fsync.
        var cluster = ThrowawayPostgres.Start(durable: false);
        return new Server(cluster.AdminConnectionString, cluster);
    }

    private sealed class Server(string adminConnectionString, ThrowawayPostgres? cluster) : IDisposable
    {
        public string AdminConnectionString { get; } = adminConnectionString;
        public void Dispose() => cluster?.Dispose();
    }
}
