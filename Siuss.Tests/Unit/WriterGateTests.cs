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
    public async Task A_writer_entering_first_gets_the_turn_before_those_in_line()
    {
        var gate = WriterGate.Exclusive();
        var holder = await gate.EnterAsync();
        var inLine = gate.EnterAsync().AsTask();
        var first = gate.EnterFirstAsync().AsTask();
        Assert.That(gate.HasWaiters, Is.True);

        holder.Dispose();
        var lease = await first;
        await Task.Delay(20);
        Assert.That(inLine.IsCompleted, Is.False, "the writer in line waits for the one that went ahead");
        lease.Dispose();
        (await inLine).Dispose();
        Assert.That(gate.HasWaiters, Is.False);
    }

    [Test]
    public async Task A_writer_entering_first_on_a_free_gate_gets_the_turn_at_once_and_only_one_may_wait_ahead()
    {
        var gate = WriterGate.Exclusive();
        var lease = gate.EnterFirstAsync();
        Assert.That(lease.IsCompleted, Is.True);
        var first = gate.EnterFirstAsync().AsTask();
        Assert.That(async () => await gate.EnterFirstAsync(), Throws.InvalidOperationException);
        (await lease).Dispose();
        (await first).Dispose();
    }

    [Test]
    public async Task A_writer_waiting_ahead_can_give_up_and_the_turn_goes_to_the_line()
    {
        var gate = WriterGate.Exclusive();
        var holder = await gate.EnterAsync();
        using var cancel = new CancellationTokenSource();
        var first = gate.EnterFirstAsync(cancel.Token).AsTask();
        var inLine = gate.EnterAsync().AsTask();

        cancel.Cancel();
        Assert.That(async () => await first, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(gate.HasWaiters, Is.True, "the writer in line still waits");
        holder.Dispose();
        (await inLine).Dispose();
        Assert.That(gate.HasWaiters, Is.False, "the writer that gave up no longer counts as waiting");
        (await gate.EnterFirstAsync()).Dispose(); // the gate is free again, and nobody waits ahead any more
    }

    [Test]
    public async Task The_holder_learns_when_a_writer_comes_or_that_none_came_in_time()
    {
        var gate = WriterGate.Exclusive();
        var holder = await gate.EnterAsync();
        Assert.That(await gate.WaitForWaiterAsync(TimeSpan.FromMilliseconds(20)), Is.False);

        var coming = gate.WaitForWaiterAsync(TimeSpan.FromMinutes(1));
        await Task.Delay(20);
        Assert.That(coming.IsCompleted, Is.False, "nobody waits yet");
        var next = gate.EnterAsync().AsTask();
        Assert.That(await coming, Is.True);
        Assert.That(await gate.WaitForWaiterAsync(TimeSpan.FromMinutes(1)), Is.True, "one already waits");
        holder.Dispose();
        (await next).Dispose();
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
