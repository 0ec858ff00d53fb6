using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Siuss.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of one's own: <c>initdb</c> and <c>pg_ctl</c> (from PATH or Debian's
/// <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>) on a temp folder, listening on a free loopback port, stopped and
/// deleted on dispose. Used by the tests (<c>PostgresCluster</c>) and by the benchmark (linked into it).
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    // initdb and postgres refuse to run as root; CI runs as root, so there the cluster belongs to this user.
    private const string ServiceUser = "postgres";
    private readonly string _bin;
    private readonly string _folder;
    private readonly bool _asServiceUser;
    private int _stopped;

    private ThrowawayPostgres(string bin, string folder, bool asServiceUser)
    {
        _bin = bin;
        _folder = folder;
        _asServiceUser = asServiceUser;
    }

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>The connection string of the cluster's superuser on its <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; private set; } = "";

    /// <summary>
    /// Starts a cluster; <paramref name="durable"/> keeps fsync on (a benchmark's figures), off it spares the disk
    /// (tests, whose crashes are of register processes, never of the server).
    /// </summary>
    public static ThrowawayPostgres Start(bool durable)
    {
        var bin = FindBinaries();
        var folder = Directory.CreateTempSubdirectory("siuss-pg-").FullName;
        var asServiceUser = Environment.UserName == "root";
        var cluster = new ThrowawayPostgres(bin, folder, asServiceUser);
        try
        {
            if (asServiceUser) Run("chown", ["-R", ServiceUser, folder], asUser: null);
            cluster.Tool("initdb", ["-D", cluster.DataFolder, "-U", "siuss", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
            var port = LoopbackPort.Free();
            var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=400" +
                          (durable ? "" : " -c fsync=off -c full_page_writes=off");
            cluster.Tool("pg_ctl", ["-D", cluster.DataFolder, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
            cluster.AdminConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1", Port = port, Username = "siuss", Database = "postgres", Pooling = false,
            }.ToString();
            return cluster;
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
                $"(.ci/run does) or name a server in SIUSS_TEST_POSTGRES (tests).");
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

    /// <summary>Creates an empty database on the server of <paramref name="adminConnectionString"/>; returns its connection string.</summary>
    public static string NewDatabase(string adminConnectionString)
    {
        var name = "siuss_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE {name}";
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = true }.ToString();
    }

    /// <summary>Creates an empty database on this cluster; returns its connection string.</summary>
    public string NewDatabase() => NewDatabase(AdminConnectionString);
}
