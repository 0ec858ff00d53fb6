using System.Data.Common;
using Dapper;

namespace Siuss.Service.Storage;

/// <summary>
/// Whether the database can serve: reachable on a fresh connection and migrated to every script this build carries.
/// A pooled connection would keep an open file handle and answer even after the database file has gone, so the probe
/// opens its own, unpooled.
/// </summary>
public sealed class DatabaseReadiness(Database database)
{
    /// <summary>Null when ready; otherwise the reason, without connection details.</summary>
    public async Task<string?> ProblemAsync(CancellationToken ct = default)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = database.ConnectionString };
        builder["Pooling"] = false;
        await using var connection = database.Dialect.CreateConnection(builder.ConnectionString);
        IReadOnlyCollection<string> applied;
        try
        {
            await connection.OpenAsync(ct);
            // DbUp's journal: one row per script applied, same table and column on every dialect.
            applied = (await connection.QueryAsync<string>(new CommandDefinition("SELECT ScriptName FROM SchemaVersions", cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        }
        catch (DbException e)
        {
            return $"database unreachable: {e.Message}";
        }
        var missing = DatabaseMigrator.Scripts(database.Dialect).Count(s => !applied.Contains(s.Name));
        return missing == 0 ? null : $"database not migrated: {missing} migration script(s) not applied (run 'Siuss.Host migrate')";
    }
}
