using Dapper;
using Siuss.Service.Storage;
using Siuss.Tests.Support;

namespace Siuss.Tests.Storage;

/// <summary>PostgreSQL's migrations where several register hosts share one database.</summary>
public sealed class PostgreSqlMigrationTests
{
    [Test]
    public async Task Hosts_started_together_on_an_empty_database_apply_each_script_once_and_all_start()
    {
        var connectionString = PostgresCluster.NewDatabase();
        var hosts = Enumerable.Range(0, 3).Select(_ => new Database(SqlDialect.PostgreSql, connectionString)).ToList();
        try
        {
            // Each as a host's start does it, at the same moment.
            using var start = new Barrier(hosts.Count);
            await Task.WhenAll(hosts.Select(h => Task.Run(() =>
            {
                start.SignalAndWait();
                new DatabaseMigrator(h).Migrate();
            })));

            await using var connection = await hosts[0].OpenAsync();
            var applied = (await connection.QueryAsync<string>("SELECT scriptname FROM schemaversions")).ToList();
            Assert.That(applied, Is.Unique);
            Assert.That(applied, Is.EquivalentTo(DatabaseMigrator.Scripts(SqlDialect.PostgreSql).Select(s => s.Name)));
        }
        finally
        {
            foreach (var h in hosts) await h.DisposeAsync();
        }
    }
}
