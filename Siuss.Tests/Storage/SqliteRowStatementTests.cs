using Microsoft.Data.Sqlite;
using Siuss.Service.Storage;

namespace Siuss.Tests.Storage;

/// <summary>
/// The per-row statements of the SQLite writer bypass <see cref="SqliteCommand"/>: what they store must be exactly
/// what a command stores for the same values, and their errors must read as a command's do.
/// </summary>
[TestFixture]
public sealed class SqliteRowStatementTests
{
    private string _file = null!;
    private SqliteConnection _connection = null!;

    private static readonly object?[] Values =
    [
        null, DBNull.Value, "", "Rossi", "àèìòù € 漢字 🙂", "line\nbreak 'quoted' \"double\"",
        0, -1, int.MaxValue, long.MinValue, long.MaxValue, true, false,
        0m, 1m, -3m, 12.5m, 100m, 0.10m, 1234567.891m, 1000000.00m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m,
        0.5d, -1e300, new byte[] { 0, 1, 2, 255 }, Array.Empty<byte>(),
        new DateTime(2025, 3, 1, 10, 20, 30, DateTimeKind.Utc).AddTicks(1234567), new DateTime(2025, 3, 1), new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Local),
    ];

    [SetUp]
    public void Open()
    {
        _file = Path.Combine(Path.GetTempPath(), $"siuss-rows-{Guid.NewGuid():N}.db");
        _connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        _connection.Open();
        Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, v, amount NUMERIC, label TEXT UNIQUE)");
    }

    [TearDown]
    public void Close()
    {
        _connection.Dispose();
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(_file)!, Path.GetFileName(_file) + "*")) File.Delete(f);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<string> Stored(string kind)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT typeof(v) || ':' || quote(v) || '|' || typeof(amount) || ':' || quote(amount) FROM t WHERE kind = @k ORDER BY id";
        command.Parameters.AddWithValue("@k", kind);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }

    [Test]
    public async Task Every_supported_value_is_stored_exactly_as_a_SqliteCommand_stores_it()
    {
        const string insert = "INSERT INTO t (kind, v, amount) VALUES (@kind, @v, @amount)";
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = insert;
            foreach (var value in Values)
            {
                command.Parameters.Clear();
                command.Parameters.AddWithValue("@kind", "command");
                command.Parameters.AddWithValue("@v", value ?? DBNull.Value);
                command.Parameters.AddWithValue("@amount", value ?? DBNull.Value);
                command.ExecuteNonQuery();
            }
        }
        var statement = new SqliteRowStatement(_connection, insert, ["kind", "v", "amount"]);
        try
        {
            foreach (var value in Values)
                Assert.That(await statement.ExecuteAsync(["row", value, value], CancellationToken.None), Is.EqualTo(1));
        }
        finally
        {
            statement.Release();
        }

        var byCommand = Stored("command");
        Assert.That(byCommand, Has.Count.EqualTo(Values.Length));
        Assert.That(Stored("row"), Is.EqualTo(byCommand));
    }

    [Test]
    public async Task Values_follow_the_order_of_the_names_given_not_of_the_parameters_in_the_text()
    {
        var statement = new SqliteRowStatement(_connection, "INSERT INTO t (kind, v, label) VALUES (@kind, @v, @label)", ["label", "kind", "v"]);
        try
        {
            await statement.ExecuteAsync(["L", "ordered", 7], CancellationToken.None);
        }
        finally
        {
            statement.Release();
        }
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT kind || '/' || v || '/' || label FROM t";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("ordered/7/L"));
    }

    [Test]
    public async Task An_insert_returns_the_id_its_RETURNING_clause_gives_and_an_update_the_rows_it_changed()
    {
        var insert = new SqliteRowStatement(_connection, SqlDialect.Sqlite.InsertReturningId("t", "kind, v", "@kind, @v"), ["kind", "v"]);
        var update = new SqliteRowStatement(_connection, "UPDATE t SET v = @v WHERE kind = @kind", ["v", "kind"]);
        try
        {
            long first = await insert.InsertAsync(["a", 1], CancellationToken.None);
            long second = await insert.InsertAsync(["a", 2], CancellationToken.None);
            Assert.That(second, Is.EqualTo(first + 1));
            Assert.That(await update.ExecuteAsync([9, "a"], CancellationToken.None), Is.EqualTo(2));
            Assert.That(await update.ExecuteAsync([9, "none"], CancellationToken.None), Is.Zero);
        }
        finally
        {
            insert.Release();
            update.Release();
        }
    }

    [Test]
    public async Task A_unique_violation_reads_as_one_and_leaves_the_statement_ready_for_the_next_row()
    {
        var insert = new SqliteRowStatement(_connection, "INSERT INTO t (kind, label) VALUES (@kind, @label)", ["kind", "label"]);
        try
        {
            await insert.ExecuteAsync(["x", "same"], CancellationToken.None);
            var error = Assert.ThrowsAsync<SqliteException>(async () => await insert.ExecuteAsync(["x", "same"], CancellationToken.None));
            Assert.That(SqlDialect.Sqlite.IsUniqueViolation(error!), Is.True, error!.Message);
            Assert.That(error.Message, Does.Contain("UNIQUE constraint failed"));

            var notNull = Assert.ThrowsAsync<SqliteException>(async () => await insert.ExecuteAsync([null, "other"], CancellationToken.None));
            Assert.That(SqlDialect.Sqlite.IsUniqueViolation(notNull!), Is.False, "a NOT NULL failure is not a duplicate");

            Assert.That(await insert.ExecuteAsync(["x", "next"], CancellationToken.None), Is.EqualTo(1));
        }
        finally
        {
            insert.Release();
        }
    }

    [Test]
    public void Mistakes_in_use_are_refused_before_anything_is_written()
    {
        Assert.Throws<ArgumentException>(() => new SqliteRowStatement(_connection, "INSERT INTO t (kind) VALUES (@kind)", ["other"]));
        Assert.Throws<ArgumentException>(() => new SqliteRowStatement(_connection, "INSERT INTO t (kind, v) VALUES (@kind, ?)", ["kind"]));
        Assert.Throws<SqliteException>(() => new SqliteRowStatement(_connection, "INSERT INTO missing (kind) VALUES (@kind)", ["kind"]));

        var insert = new SqliteRowStatement(_connection, "INSERT INTO t (kind, v) VALUES (@kind, @v)", ["kind", "v"]);
        try
        {
            Assert.ThrowsAsync<ArgumentException>(async () => await insert.ExecuteAsync(["only one"], CancellationToken.None));
            Assert.ThrowsAsync<NotSupportedException>(async () => await insert.ExecuteAsync(["k", Guid.NewGuid()], CancellationToken.None));
            Assert.ThrowsAsync<NotSupportedException>(async () => await insert.ExecuteAsync(["k", new DateOnly(2025, 1, 1)], CancellationToken.None));
        }
        finally
        {
            insert.Release();
        }
        Assert.That(Stored("k"), Is.Empty);
    }
}
