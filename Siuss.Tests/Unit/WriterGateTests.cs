using Siuss.Service.Storage;

namespace Siuss.Tests.Unit;

/// <summary>The in-process writer gate: one SQLite writer at a time, in turn; SQL Server writers never wait.</summary>
[TestFixture]
public sealed class WriterGateTests
{
    [Test]
    public async Task An_exclusive_gate_lets_the_second_writer_in_only_when_the_first_leaves()
    {
        var gate = WriterGate.Exclusive();
        var first = await gate.EnterAsync();

        var second = gate.EnterAsync().AsTask();
        await Task.Yield();
        Assert.That(second.IsCompleted, Is.False, "the second writer waits while the first holds the turn");

        first.Dispose();
        (await second).Dispose();
    }

    [Test]
    public async Task Leaving_twice_does_not_let_two_writers_in()
    {
        var gate = WriterGate.Exclusive();
        var first = await gate.EnterAsync();
        first.Dispose();
        first.Dispose();

        var second = await gate.EnterAsync();
        var third = gate.EnterAsync().AsTask();
        await Task.Yield();
        Assert.That(third.IsCompleted, Is.False, "a double dispose must not release a turn it no longer holds");
        second.Dispose();
        (await third).Dispose();
    }

    [Test]
    public async Task A_waiting_writer_can_give_up()
    {
        var gate = WriterGate.Exclusive();
        using var first = await gate.EnterAsync();
        using var cancel = new CancellationTokenSource();

        var waiting = gate.EnterAsync(cancel.Token).AsTask();
        cancel.Cancel();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task An_open_gate_never_makes_writers_wait()
    {
        var gate = WriterGate.Open();
        using var first = await gate.EnterAsync();
        var second = gate.EnterAsync();
        Assert.That(second.IsCompleted, Is.True);
        (await second).Dispose();
    }

    [Test]
    public async Task Sqlite_writers_take_turns_and_SQL_Server_writers_do_not()
    {
        var sqlite = new Database(SqlDialect.Sqlite, "Data Source=:memory:");
        using (await sqlite.Writers.EnterAsync())
            Assert.That(sqlite.Writers.EnterAsync().IsCompleted, Is.False);

        var sqlServer = new Database(SqlDialect.SqlServer, "Server=none");
        using (await sqlServer.Writers.EnterAsync())
            Assert.That(sqlServer.Writers.EnterAsync().IsCompleted, Is.True);
    }
}
