using Siuss.Tests.Support;

namespace Siuss.Tests.Hostile;

/// <summary>A hostile-input fixture: one register world shared by its cases (on SQLite, or the engine a subclass passes), each case asserted the same way.</summary>
[Parallelizable(ParallelScope.None)]
public abstract class HostileFixture(string engine = TestDatabases.Sqlite)
{
    protected HostileWorld World { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartWorldAsync() => World = await HostileWorld.StartAsync(engine: engine);

    [OneTimeTearDown]
    public async Task StopWorldAsync() => await World.DisposeAsync();
}
