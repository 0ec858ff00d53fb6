using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Siuss.Service.Storage;

namespace Siuss.Tests.Storage;

/// <summary>The submission lookups run on kept SQLite connections with their statements compiled once: fresh rows, bounded, closed on failure and disposal.</summary>
[TestFixture]
public sealed class PreparedReadsTests
{
    private static readonly ReadStatement NameById = new("SELECT name FROM people WHERE id = @id", "id");

    private string _file = "";
    private string _connectionString = "";
    private readonly List<DbConnection> _opened = [];

    [SetUp]
    public void CreateDatabase()
    {
        _file = Path.Combine(Path.GetTempPath(), $"siuss-reads-{Guid.NewGuid():N}.db");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = _file }.ToString();
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO people VALUES (1, 'Ada');";
        create.ExecuteNonQuery();
        lock (_opened) _opened.Clear();
    }

    [TearDown]
    public void DeleteDatabase()
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
            if (File.Exists(path)) File.Delete(path);
    }

    private PreparedReads Reads(bool keep = true) => new(async ct =>
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        lock (_opened) _opened.Add(connection);
        return connection;
    }, keep);

    private static Task<string?> NameAsync(PreparedReads reads, long id) =>
        reads.RunAsync(NameById, [id], rows => rows.Read() ? rows.GetString(0) : null);

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Test]
    public async Task Lookups_one_after_another_share_one_connection_and_see_rows_written_after_the_statement_was_compiled()
    {
        using var reads = Reads();
        Assert.That(await NameAsync(reads, 1), Is.EqualTo("Ada"));
        Assert.That(await NameAsync(reads, 2), Is.Null);

        Execute("INSERT INTO people VALUES (2, 'Grace'); UPDATE people SET name = 'Ada L.' WHERE id = 1;");

        Assert.That(await NameAsync(reads, 2), Is.EqualTo("Grace"));
        Assert.That(await NameAsync(reads, 1), Is.EqualTo("Ada L."));
        Assert.That(_opened, Has.Count.EqualTo(1));
        Assert.That(reads.IdleConnections, Is.EqualTo(1));
    }

    [Test]
    public async Task An_idle_kept_connection_holds_no_snapshot_that_would_stop_the_log_from_restarting()
    {
        using var reads = Reads();
        Execute("INSERT INTO people VALUES (2, 'Grace'), (3, 'Edsger');");
        // Reads the first of three rows only: the statement is left mid-result unless the lookup resets it.
        var first = await reads.RunAsync(new ReadStatement("SELECT name FROM people ORDER BY id"), [], rows => rows.Read() ? rows.GetString(0) : null);
        Assert.That(first, Is.EqualTo("Ada"));
        Execute("UPDATE people SET name = 'Grace H.' WHERE id = 2;");

        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using var result = checkpoint.ExecuteReader();
        Assert.That(result.Read(), Is.True);
        Assert.That((result.GetInt64(0), result.GetInt64(1)), Is.EqualTo((0L, 0L)), "busy, frames left in the log");
        Assert.That(reads.IdleConnections, Is.EqualTo(1));
    }

    [Test]
    public async Task A_kept_statement_still_runs_after_the_schema_changed_under_it()
    {
        using var reads = Reads();
        Assert.That(await NameAsync(reads, 1), Is.EqualTo("Ada"));
        Execute("CREATE INDEX ix_people_name ON people (name); ALTER TABLE people ADD COLUMN born INTEGER;");
        Assert.That(await NameAsync(reads, 1), Is.EqualTo("Ada"));
    }

    [Test]
    public async Task A_null_value_is_bound_as_NULL()
    {
        using var reads = Reads();
        var matched = await reads.RunAsync(new ReadStatement("SELECT @value IS NULL", "value"), [null], rows => rows.Read() && rows.GetInt64(0) == 1);
        Assert.That(matched, Is.True);
    }

    [Test]
    public void The_wrong_number_of_values_is_refused_before_anything_runs()
    {
        using var reads = Reads();
        Assert.ThrowsAsync<ArgumentException>(() => reads.RunAsync(NameById, [1L, 2L], rows => rows.Read()));
        Assert.That(_opened, Is.Empty);
    }

    [Test]
    public async Task A_connection_whose_lookup_failed_is_closed_not_kept()
    {
        using var reads = Reads();
        Assert.ThrowsAsync<SqliteException>(() => reads.RunAsync(new ReadStatement("SELECT nothing FROM nowhere"), [], rows => rows.Read()));
        Assert.ThrowsAsync<InvalidOperationException>(() => reads.RunAsync(NameById, [1L], string (_) => throw new InvalidOperationException("reader failed")));

        Assert.That(reads.IdleConnections, Is.Zero);
        Assert.That(_opened, Has.Count.EqualTo(2));
        Assert.That(_opened.Select(c => c.State), Is.All.EqualTo(ConnectionState.Closed));
        Assert.That(await NameAsync(reads, 1), Is.EqualTo("Ada"));
    }

    [Test]
    public void Lookups_at_once_each_get_a_connection_and_at_most_the_limit_are_kept()
    {
        using var reads = Reads();
        int lookups = PreparedReads.MaxKeptConnections + 2;
        using var together = new Barrier(lookups);
        // Threads of their own: every lookup must be running before any ends (the barrier), which the thread pool would starve.
        var threads = Enumerable.Range(0, lookups).Select(_ => new Thread(() =>
            reads.RunAsync(NameById, [1L], rows => { together.SignalAndWait(TimeSpan.FromSeconds(30)); return rows.Read(); }).GetAwaiter().GetResult())).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.That(_opened, Has.Count.EqualTo(lookups));
        Assert.That(reads.IdleConnections, Is.EqualTo(PreparedReads.MaxKeptConnections));
        Assert.That(_opened.Count(c => c.State == ConnectionState.Closed), Is.EqualTo(2));
    }

    [Test]
    public async Task Disposal_closes_the_kept_connections_and_refuses_further_lookups()
    {
        var reads = Reads();
        await NameAsync(reads, 1);
        reads.Dispose();

        Assert.That(_opened.Single().State, Is.EqualTo(ConnectionState.Closed));
        Assert.That(reads.IdleConnections, Is.Zero);
        Assert.ThrowsAsync<ObjectDisposedException>(() => NameAsync(reads, 1));
    }

    [Test]
    public async Task Without_keeping_every_lookup_opens_and_closes_its_connection()
    {
        using var reads = Reads(keep: false);
        Assert.That(await NameAsync(reads, 1), Is.EqualTo("Ada"));
        Assert.That(await NameAsync(reads, 1), Is.EqualTo("Ada"));
        Assert.That(_opened, Has.Count.EqualTo(2));
        Assert.That(_opened.Select(c => c.State), Is.All.EqualTo(ConnectionState.Closed));
        Assert.That(reads.IdleConnections, Is.Zero);
    }
}
