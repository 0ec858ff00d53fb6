using Dapper;
using Microsoft.Data.Sqlite;
using Siuss.Service.Storage;

namespace Siuss.Tests.Storage;

/// <summary>The person lookups stay index searches on SQLite's default plan (no ANALYZE), now that one index on the person serves them.</summary>
[TestFixture]
public sealed class QueryPlanTests
{
    [Test]
    public async Task A_body_s_record_history_of_a_person_searches_the_fiscal_code_index()
    {
        var file = Path.Combine(Path.GetTempPath(), $"siuss-plan-{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        try
        {
            await using (var database = new Database(SqlDialect.Sqlite, connectionString))
                new DatabaseMigrator(database).Migrate();
            await using var connection = new SqliteConnection(connectionString);
            var plan = (await connection.QueryAsync("EXPLAIN QUERY PLAN " + RecordHistoryRepository.SelectHistory))
                .Select(row => (string)row.detail).ToList();
            TestContext.Out.WriteLine(string.Join(Environment.NewLine, plan));
            Assert.That(plan, Has.Some.Contains("SEARCH r USING INDEX ix_benefit_records_codice_fiscale"));
            Assert.That(plan, Has.None.StartsWith("SCAN r"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
                if (File.Exists(path)) File.Delete(path);
        }
    }
}
