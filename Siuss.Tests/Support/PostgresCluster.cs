using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

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
    public static string NewDatabase()
    {
        var server = Started.Value;
        var name = "siuss_test_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(server.AdminConnectionString))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name}";
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name }.ToString();
    }

    /// <summary>Stops the cluster this run started, if any (the assembly's last teardown).</summary>
    public static void StopIfStarted()
    {
        if (Started.IsValueCreated) Started.Value.Dispose();
    }

    private static Server Start()
    {
        var named = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(named)) return new Server(named, null);
        return OwnCluster.Start();
    }

    private class Server(string adminConnectionString, OwnCluster? cluster) : IDisposable
    {
        public string AdminConnectionString { get; } = adminConnectionString;
        public void Dispose() => cluster?.Dispose();
    }

    /// <summary>A cluster in a temp folder, owned by this test run.</summary>
    private sealed class OwnCluster : IDisposable
    {
        // initdb and postgres refuse to run as root; CI runs as root, so there the cluster belongs to this user.
        private const string ServiceUser = "postgres";
        private readonly string _bin;
        private readonly string _folder;
        private readonly bool _asServiceUser;
        private int _stopped;

        private OwnCluster(string bin, string folder, bool asServiceUser)
        {
            _bin = bin;
            _folder = folder;
            _asServiceUser = asServiceUser;
        }

        private string DataFolder => Path.Combine(_folder, "data");

        public static Server Start()
        {
            var bin = FindBinaries();
            var folder = Directory.CreateTempSubdirectory("siuss-pg-").FullName;
            var asServiceUser = Environment.UserName == "root";
            var cluster = new OwnCluster(bin, folder, asServiceUser);
            try
            {
                if (asServiceUser) Run("chown", ["-R", ServiceUser, folder], asUser: null);
                cluster.Tool("initdb", ["-D", cluster.DataFolder, "-U", "siuss", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
                var port = FreeLoopbackPort();
                // fsync off: a test cluster lives as long as the test run, and the crash tests kill a register
                // process, never the database server, so what they prove does not depend on the server's fsync.
                var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off " +
                              "-c full_page_writes=off";
                cluster.Tool("pg_ctl", ["-D", cluster.DataFolder, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
                var admin = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1", Port = port, Username = "siuss", Database = "postgres", Pooling = false,
                }.ToString();
                return new Server(admin, cluster);
            }
            catch
            {
                cluster.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
            try
            {
                if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
                    Tool("pg_ctl", ["-D", DataFolder, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException) { /* already stopped */ }
            try { Directory.Delete(_folder, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        private void Tool(string name, string[] args) => Run(Path.Combine(_bin, name), args, _asServiceUser ? ServiceUser : null);

        // PATH first, then Debian's /usr/lib/postgresql/<version>/bin (not on PATH), newest version first.
        private static string FindBinaries()
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
                if (File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb")))
                    return Path.GetDirectoryName(Path.GetFullPath(ResolveLink(Path.Combine(dir, "pg_ctl"))))!;
            const string debian = "/usr/lib/postgresql";
            var versions = Directory.Exists(debian)
                ? Directory.GetDirectories(debian)
                    .Where(d => File.Exists(Path.Combine(d, "bin", "pg_ctl")))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                    .ToList()
                : [];
            return versions.Count > 0
                ? Path.Combine(versions[0], "bin")
                : throw new InvalidOperationException(
                    $"PostgreSQL is not installed (no initdb/pg_ctl on PATH or in {debian}/*/bin): install the 'postgresql' package " +
                    $"(.ci/run does) or set {Variable} to a server's connection string.");
        }

        // /usr/local/bin/pg_ctl may be a link into the version's bin folder, where initdb finds postgres beside it.
        private static string ResolveLink(string path) =>
            new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;

        private static void Run(string program, string[] args, string? asUser)
        {
            var info = asUser is null ? new ProcessStartInfo(program) : new ProcessStartInfo("runuser");
            if (asUser is not null)
            {
                foreach (var a in new[] { "-u", asUser, "--", program }) info.ArgumentList.Add(a);
            }
            foreach (var a in args) info.ArgumentList.Add(a);
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
            info.UseShellExecute = false;
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill();
                throw new InvalidOperationException($"{program} did not finish in 2 minutes");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {output.Result}{error.Result}");
        }

        private static int FreeLoopbackPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
