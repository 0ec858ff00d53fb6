using Dapper;
using DbUp;
using DbUp.Engine;
using Microsoft.Data.Sqlite;
using Siuss.Service.Storage;

namespace Siuss.Tests.Storage;

/// <summary>Migration 0006 moves every stored raw flow out of the submissions row: no legal evidence is lost on upgrade.</summary>
[TestFixture]
public sealed class SubmissionFlowsMigrationTests
{
    [Test]
    public async Task A_register_upgraded_from_0005_keeps_each_raw_flow_byte_for_byte_in_submission_flows()
    {
        var file = Path.Combine(Path.GetTempPath(), $"siuss-0006-{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        try
        {
            // The register as it was before 0006: scripts 0001-0005 applied and journaled by DbUp.
            var before = DatabaseMigrator.Scripts(SqlDialect.Sqlite).TakeWhile(s => !s.Name.Contains("0006_", StringComparison.Ordinal))
                .Select(s => new SqlScript(s.Name, s.Sql)).ToList();
            Assert.That(before, Has.Count.EqualTo(5));
            var upgrade = DeployChanges.To.SqliteDatabase(connectionString).WithScripts(before).WithTransactionPerScript().LogToNowhere().Build().PerformUpgrade();
            Assert.That(upgrade.Successful, Is.True, upgrade.Error?.Message);

            var flows = new[] { "<Flusso>uno</Flusso>"u8.ToArray(), Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray() };
            await using (var connection = new SqliteConnection(connectionString))
            {
                await connection.ExecuteAsync("INSERT INTO agencies (code, name, belfiore, registered_at) VALUES ('H501', 'Roma', 'H501', '2026-01-01')");
                foreach (var (flow, i) in flows.Select((f, i) => (f, i)))
                    await connection.ExecuteAsync(
                        "INSERT INTO submissions (agency_code, id_messaggio, request_hash, tipo_flusso, nome_flusso, flow_hash, flow_size, esito, " +
                        "received_at, correlation_id, record_count, raw_trasmissione, raw_flusso) VALUES " +
                        "('H501', @m, 'h', 'PS_PSA_SINA', @n, 'h', @size, 'RICHIESTA_INVALIDA', '2026-01-01', 'c', 0, @t, @f)",
                        new { m = Guid.NewGuid().ToString(), n = "FLUSSO" + i, size = flow.Length, t = new byte[] { 1 }, f = flow });
            }

            new DatabaseMigrator(new Database(SqlDialect.Sqlite, connectionString)).Migrate();

            await using (var connection = new SqliteConnection(connectionString))
            {
                var moved = (await connection.QueryAsync<byte[]>(
                    "SELECT f.raw_flusso FROM submission_flows f JOIN submissions s ON s.id = f.submission_id ORDER BY s.nome_flusso")).ToList();
                Assert.That(moved, Is.EqualTo(flows));
                var columns = (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info('submissions')")).ToList();
                Assert.That(columns, Does.Not.Contain("raw_flusso"));
                Assert.That(columns, Does.Contain("raw_trasmissione"));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
                if (File.Exists(path)) File.Delete(path);
        }
    }
}
