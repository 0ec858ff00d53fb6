using Siuss.Tests.Support;

// No namespace: NUnit runs this fixture's teardown once, after every test of the assembly.

/// <summary>What the whole test run shares: the PostgreSQL cluster it may have started.</summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public void StopPostgres() => PostgresCluster.StopIfStarted();
}
