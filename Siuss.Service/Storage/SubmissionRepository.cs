using Dapper;
using Siuss.Service.Flows;

namespace Siuss.Service.Storage;

/// <summary>What the register knows of a submission before its records are stored.</summary>
public sealed record SubmissionDraft(
    string AgencyCode, string IdMessaggio, string RequestHash, string TipoFlusso, string NomeFlusso,
    string FlowHash, long FlowSize, string? IdAcquisizione, DateTime ReceivedAt, string CorrelationId,
    byte[] RawTrasmissione, ReceivedFlow RawFlusso);

/// <summary>How many records a flow had, and what became of them (<paramref name="Warned"/>: accepted with a warning).</summary>
public readonly record struct RecordCounts(int Total, int Valid, int Rejected, int Late, int Warned = 0);

/// <summary>A stored submission's identity and outcome, enough to answer a repeat or a receipt request.</summary>
public sealed record StoredSubmission
{
    public long Id { get; init; }
    public string AgencyCode { get; init; } = "";
    public string IdMessaggio { get; init; } = "";
    public string RequestHash { get; init; } = "";
    public string NomeFlusso { get; init; } = "";
    public string Esito { get; init; } = "";
    public string? IdAcquisizione { get; init; }
    public byte[]? Ricevuta { get; init; }
}

/// <summary>Submissions: looking them up, and storing the ones whose flow was refused.</summary>
public sealed class SubmissionRepository(Database database)
{
    private const string Columns =
        "id AS Id, agency_code AS AgencyCode, id_messaggio AS IdMessaggio, request_hash AS RequestHash, " +
        "nome_flusso AS NomeFlusso, esito AS Esito, id_acquisizione AS IdAcquisizione, ricevuta AS Ricevuta";

    private static readonly ReadStatement SelectByMessage = new(
        "SELECT " + Columns + " FROM submissions WHERE agency_code = @agencyCode AND id_messaggio = @idMessaggio", "agencyCode", "idMessaggio");
    private const string SelectByAcquisition = "SELECT " + Columns + " FROM submissions WHERE agency_code = @agencyCode AND id_acquisizione = @idAcquisizione";
    private static readonly ReadStatement CountAcquiredByName = new(
        "SELECT COUNT(*) FROM submissions WHERE agency_code = @agencyCode AND nome_flusso = @nomeFlusso AND esito = 'OK'", "agencyCode", "nomeFlusso");

    internal const string InsertColumns =
        "agency_code, id_messaggio, request_hash, tipo_flusso, nome_flusso, flow_hash, flow_size, esito, id_acquisizione, " +
        "received_at, correlation_id, record_count, records_valid, records_rejected, records_late, raw_trasmissione, ricevuta";

    internal static string InsertValues(SqlDialect dialect) =>
        "@AgencyCode, @IdMessaggio, @RequestHash, @TipoFlusso, @NomeFlusso, @FlowHash, @FlowSize, @Esito, @IdAcquisizione, " +
        "@ReceivedAt, @CorrelationId, @RecordCount, @RecordsValid, @RecordsRejected, @RecordsLate, @RawTrasmissione, @Ricevuta";

    /// <summary>The statement that stores a submission's raw flow in its own row (never updated afterwards), for this dialect.</summary>
    internal static string InsertRawFlow(SqlDialect dialect) =>
        "INSERT INTO submission_flows (submission_id, raw_flusso) VALUES (@SubmissionId, " + dialect.RawFlowValue + ")";

    /// <summary>The submission a body sent under this message id, if any.</summary>
    public Task<StoredSubmission?> FindByMessageAsync(string agencyCode, string idMessaggio, CancellationToken ct = default) =>
        database.Reads.RunAsync(SelectByMessage, [agencyCode, idMessaggio], rows => rows.Parse<StoredSubmission>().SingleOrDefault(), ct);

    /// <summary>The body's submission with this acquisition id, if any.</summary>
    public async Task<StoredSubmission?> FindByAcquisitionAsync(string agencyCode, string idAcquisizione, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StoredSubmission>(
            SelectByAcquisition, new { agencyCode, idAcquisizione });
    }

    /// <summary>True when a flow of this name from this body was already acquired.</summary>
    public Task<bool> IsFlowNameAcquiredAsync(string agencyCode, string nomeFlusso, CancellationToken ct = default) =>
        // COUNT(*) is a 64-bit integer on SQLite and an int on SQL Server, whose reader does not widen it in GetInt64.
        database.Reads.RunAsync(CountAcquiredByName, [agencyCode, nomeFlusso],
            rows => rows.Read() && Convert.ToInt64(rows.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) > 0, ct);

    /// <summary>
    /// Stores a refused submission with its receipt and no records. Returns false when the same
    /// message was stored meanwhile by a concurrent request (the caller answers with that one).
    /// </summary>
    public async Task<bool> StoreRefusedAsync(SubmissionDraft draft, string esito, RecordCounts counts, byte[] ricevuta, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        using var turn = await database.EnterWriteTurnAsync(ct);
        // Insert and cursor in one transaction, the cursor last: see ReceiptCursor.
        await using var transaction = await connection.BeginTransactionAsync(database.Dialect.WriteIsolation, ct);
        try
        {
            // The row and its raw flow land together or not at all.
            var id = await InsertAsync(connection, transaction, database.Dialect, draft with { IdAcquisizione = null }, esito, counts, ricevuta, ct);
            await ReceiptCursor.AssignAsync(connection, transaction, id, ct);
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (System.Data.Common.DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
    }

    /// <summary>The statement that inserts a submission row and returns its id, for this dialect.</summary>
    internal static string InsertReturningId(SqlDialect dialect) =>
        dialect.InsertReturningId("submissions", InsertColumns, InsertValues(dialect));

    /// <summary>Inserts the submission row with its raw flow streamed in (inside <paramref name="transaction"/>); returns its id.</summary>
    internal static async Task<long> InsertAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction,
        SqlDialect dialect, SubmissionDraft d, string esito, RecordCounts counts, byte[]? ricevuta, CancellationToken ct)
    {
        var row = new SubmissionRow(
            d.AgencyCode, d.IdMessaggio, d.RequestHash, d.TipoFlusso, d.NomeFlusso, d.FlowHash, d.FlowSize, esito,
            d.IdAcquisizione, d.ReceivedAt, d.CorrelationId, counts.Total, counts.Valid, counts.Rejected, counts.Late,
            d.RawTrasmissione, ricevuta);
        var id = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition(InsertReturningId(dialect), row, transaction, cancellationToken: ct));

        var flowParameters = new DynamicParameters(new { SubmissionId = id });
        dialect.BindRawFlow(flowParameters, d.RawFlusso);
        await connection.ExecuteAsync(new CommandDefinition(InsertRawFlow(dialect), flowParameters, transaction, cancellationToken: ct));
        await dialect.WriteRawFlowAsync(connection, id, d.RawFlusso, ct);
        return id;
    }

    private sealed record SubmissionRow(
        string AgencyCode, string IdMessaggio, string RequestHash, string TipoFlusso, string NomeFlusso, string FlowHash,
        long FlowSize, string Esito, string? IdAcquisizione, DateTime ReceivedAt, string CorrelationId, int RecordCount,
        int RecordsValid, int RecordsRejected, int RecordsLate,
        byte[] RawTrasmissione, byte[]? Ricevuta);
}
