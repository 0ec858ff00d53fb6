using Siuss.Tests.Support;

namespace Siuss.Tests.Hostile;

/// <summary>A hostile-input fixture: one register world shared by its cases, each case asserted the same way.</summary>
[Parallelizable(ParallelScope.None)]
public abstract class HostileFixture
{
    protected HostileWorld World { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartWorldAsync() => World = await HostileWorld.StartAsync();

    [OneTimeTearDown]
    public async Task StopWorldAsync() => await World.DisposeAsync();
}
