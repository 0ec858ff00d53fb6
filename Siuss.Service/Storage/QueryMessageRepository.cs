using System.Data.Common;
using Dapper;

namespace Siuss.Service.Storage;

/// <summary>Remembers every signed query's IdMessaggio, so none can be replayed.</summary>
public sealed class QueryMessageRepository(Database database)
{
    private const string InsertQueryMessage =
        "INSERT INTO query_messages (agency_code, id_messaggio, operazione, request_hash, received_at) VALUES (@agencyCode, @idMessaggio, @operazione, @requestHash, @now)";

    /// <summary>Records the message; false when this body already used the IdMessaggio.</summary>
    public async Task<bool> TryRecordAsync(string agencyCode, string idMessaggio, string operazione, string requestHash, DateTime now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        using var turn = await database.EnterWriteTurnAsync(ct);
        try
        {
            await connection.ExecuteAsync(
                InsertQueryMessage,
                new { agencyCode, idMessaggio, operazione, requestHash, now });
            return true;
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            return false;
        }
    }
}
