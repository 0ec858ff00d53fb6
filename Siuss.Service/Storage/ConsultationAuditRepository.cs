using Dapper;

namespace Siuss.Service.Storage;

/// <summary>The outcomes a consultation audit row records.</summary>
public static class ConsultationOutcomes
{
    /// <summary>The answer was given (its digest and record ids are in the row).</summary>
    public const string Allowed = "ALLOWED";
    /// <summary>An authenticated body was refused (the fault code is in the row); nothing was shown.</summary>
    public const string Refused = "REFUSED";
}

/// <summary>One audited consultation of a person's benefits by an authenticated body.</summary>
public sealed class ConsultationAuditEntry
{
    public long Id { get; set; }
    /// <summary>When the register received the request (UTC); the answer, if any, was given after the row was committed.</summary>
    public DateTime OccurredAt { get; set; }
    public string AgencyCode { get; set; } = "";
    /// <summary>SHA-256 (lowercase hex) of the certificate that signed the request.</summary>
    public string SignerThumbprint { get; set; } = "";
    public string IdMessaggio { get; set; } = "";
    /// <summary>SHA-256 of the signed <c>Richiesta</c> bytes, as in <c>query_messages</c>.</summary>
    public string RequestHash { get; set; } = "";
    public string CorrelationId { get; set; } = "";
    public string CodiceFiscale { get; set; } = "";
    /// <summary>One of <see cref="ConsultationOutcomes"/>.</summary>
    public string Outcome { get; set; } = "";
    /// <summary>The fault code of a refusal; null when allowed.</summary>
    public string? FaultCode { get; set; }
    public int RecordCount { get; set; }
    /// <summary>The <c>benefit_records</c> ids shown, in answer order, space-separated ("" when none).</summary>
    public string RecordIds { get; set; } = "";
    /// <summary>SHA-256 (lowercase hex) of the signed answer exactly as sent; null when refused.</summary>
    public string? AnswerHash { get; set; }
}

/// <summary>
/// The append-only audit of GetBeneficiaryBenefits: every authenticated consultation, allowed or refused.
/// The product only inserts and reads here (the schema refuses updates and deletions).
/// </summary>
public sealed class ConsultationAuditRepository(Database database)
{
    private const string InsertEntry =
        "INSERT INTO consultation_audit (occurred_at, agency_code, signer_thumbprint, id_messaggio, request_hash, correlation_id, " +
        "codice_fiscale, outcome, fault_code, record_count, record_ids, answer_hash) VALUES (@OccurredAt, @AgencyCode, @SignerThumbprint, " +
        "@IdMessaggio, @RequestHash, @CorrelationId, @CodiceFiscale, @Outcome, @FaultCode, @RecordCount, @RecordIds, @AnswerHash)";
    private const string SelectEntries =
        "SELECT id AS Id, occurred_at AS OccurredAt, agency_code AS AgencyCode, signer_thumbprint AS SignerThumbprint, " +
        "id_messaggio AS IdMessaggio, request_hash AS RequestHash, correlation_id AS CorrelationId, codice_fiscale AS CodiceFiscale, " +
        "outcome AS Outcome, fault_code AS FaultCode, record_count AS RecordCount, record_ids AS RecordIds, answer_hash AS AnswerHash " +
        "FROM consultation_audit WHERE occurred_at >= @from AND occurred_at < @to " +
        "AND (@agencyCode IS NULL OR agency_code = @agencyCode) AND (@codiceFiscale IS NULL OR codice_fiscale = @codiceFiscale) " +
        "ORDER BY id";

    /// <summary>Writes one row and commits it before returning (a failure throws, so the caller gives no answer).</summary>
    public async Task AppendAsync(ConsultationAuditEntry entry, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        using var turn = await database.EnterWriteTurnAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(InsertEntry, entry, cancellationToken: ct));
    }

    /// <summary>The rows of [<paramref name="from"/>, <paramref name="to"/>) (UTC), optionally of one body or one person, oldest first.</summary>
    public async Task<IReadOnlyList<ConsultationAuditEntry>> SearchAsync(DateTime from, DateTime to, string? agencyCode = null,
        string? codiceFiscale = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ConsultationAuditEntry>(new CommandDefinition(SelectEntries,
            new { from, to, agencyCode, codiceFiscale }, cancellationToken: ct));
        var list = rows.AsList();
        // SQLite hands back the stored text without a kind; every time stored here is UTC.
        foreach (var row in list) row.OccurredAt = DateTime.SpecifyKind(row.OccurredAt, DateTimeKind.Utc);
        return list;
    }
}
