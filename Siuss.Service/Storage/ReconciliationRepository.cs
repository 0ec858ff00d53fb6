using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Siuss.Contracts.Reconciliation;

namespace Siuss.Service.Storage;

/// <summary>One record of a reconciliation page: its id as cursor, natural key, state, content digest and inserting flow.</summary>
public sealed record ReconciledRecord(
    long Cursor, string CodiceFiscale, string CodicePrestazione, string ProtocolloDomanda, DateOnly DataRiferimento,
    bool Active, string Digest, string IdAcquisizione, string NomeFlusso);

/// <summary>What the register holds for one body and month: the period digest, the counts, and one page of records.</summary>
public sealed record ReconciliationSlice(string DigestPeriodo, int Active, int Cancelled, IReadOnlyList<ReconciledRecord> Records, bool More);

/// <summary>Reads a body's PS_PSA_SINA records of one month of <c>data_riferimento</c> for ReconcileRecords (SINBA is another table and never read).</summary>
public sealed class ReconciliationRepository(Database database)
{
    private const string InPeriod =
        "r.agency_code = @agencyCode AND r.data_riferimento >= @from AND r.data_riferimento < @to";

    private const string SelectActiveDigests =
        "SELECT r.codice_fiscale, r.codice_prestazione, r.protocollo_domanda, r.data_riferimento, r.content_digest " +
        "FROM benefit_records r WHERE " + InPeriod + " AND r.status = 'A'";

    private const string CountCancelled =
        "SELECT COUNT(*) FROM benefit_records r WHERE " + InPeriod + " AND r.status = 'C'";

    private const string PageColumns =
        "r.id, r.codice_fiscale, r.codice_prestazione, r.protocollo_domanda, r.data_riferimento, r.status, r.content_digest, " +
        "s.id_acquisizione, s.nome_flusso";

    private const string PageRest =
        "FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE " + InPeriod + " AND r.id > @since ORDER BY r.id";

    internal static string SelectPage(SqlDialect dialect) => SqlPaging.Top(dialect, PageColumns, PageRest);

    /// <summary>The statements built per dialect, for the SQL tests.</summary>
    internal static IEnumerable<string> DialectStatements(SqlDialect dialect) => [SelectPage(dialect)];

    /// <summary>
    /// The period digest and counts of the body's records with <c>data_riferimento</c> in [<paramref name="from"/>,
    /// <paramref name="to"/>), and up to <paramref name="limit"/> of them after <paramref name="since"/> (none when 0).
    /// On SQLite all three come from one snapshot; on SQL Server from one connection at READ COMMITTED, which is
    /// why a job compares the period digest at the start and end of its paging.
    /// </summary>
    public async Task<ReconciliationSlice> ReadAsync(string agencyCode, DateOnly from, DateOnly to, long since, int limit, CancellationToken ct = default)
    {
        var period = new { agencyCode, from = Iso(from), to = Iso(to) };
        await using var connection = await database.OpenAsync(ct);
        // A deferred SQLite transaction reads one WAL snapshot and takes no write lock.
        await using var snapshot = connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true) : null;

        var keyed = new List<KeyedDigest>();
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(SelectActiveDigests, period, snapshot, cancellationToken: ct)))
        {
            while (await reader.ReadAsync(ct))
                keyed.Add(new KeyedDigest(reader.GetString(0), reader.GetString(1), reader.GetString(2), Date(reader.GetValue(3)), reader.GetString(4)));
        }
        var cancelled = await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountCancelled, period, snapshot, cancellationToken: ct));

        var records = new List<ReconciledRecord>();
        var more = false;
        if (limit > 0)
        {
            var page = new { agencyCode, from = Iso(from), to = Iso(to), since, take = limit + 1 };
            await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(SelectPage(database.Dialect), page, snapshot, cancellationToken: ct));
            while (await reader.ReadAsync(ct))
            {
                if (records.Count == limit) { more = true; break; }
                records.Add(new ReconciledRecord(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Date(reader.GetValue(4)),
                    reader.GetString(5) == "A", reader.GetString(6), reader.GetString(7), reader.GetString(8)));
            }
        }
        return new ReconciliationSlice(PeriodDigest.Compute(keyed), keyed.Count, cancelled, records, more);
    }

    // Dates travel as ISO text: SQLite compares the stored text, SQL Server converts it to DATE.
    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Date(object value) => value is DateTime d
        ? DateOnly.FromDateTime(d)
        : DateOnly.ParseExact(((string)value)[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
