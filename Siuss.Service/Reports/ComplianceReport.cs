using Dapper;
using Siuss.Service.Storage;

namespace Siuss.Service.Reports;

/// <summary>One paying body's line of the compliance report for a period.</summary>
public sealed class ComplianceRow
{
    public string AgencyCode { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Every submission received (acquired or refused).</summary>
    public long FlowsReceived { get; set; }
    public long FlowsAcquired { get; set; }
    public long FlowsRefused { get; set; }
    /// <summary>Records stored from acquired flows.</summary>
    public long RecordsAccepted { get; set; }
    /// <summary>Records of refused flows: none of them was stored.</summary>
    public long RecordsRefused { get; set; }
    /// <summary>Accepted records received more than 30 days after payment.</summary>
    public long RecordsLate { get; set; }
    /// <summary>Accepted records that carried a warning (a register-policy rule at severity warn).</summary>
    public long RecordsWarned { get; set; }
    /// <summary>When the body last submitted in the period, if it did.</summary>
    public DateTime? LastSubmission { get; set; }

    /// <summary>True when the body sent nothing at all in the period.</summary>
    public bool SentNothing => FlowsReceived == 0;
}

/// <summary>
/// What each paying body sent in a period: flows received, acquired and refused, records accepted,
/// refused, late and accepted with warnings - and which bodies sent nothing (failing to send is a disciplinary matter).
/// </summary>
public sealed class ComplianceReport(Database database)
{
    private const string ByAgency =
        "SELECT a.code AS AgencyCode, a.name AS Name, COUNT(s.id) AS FlowsReceived, " +
        "COALESCE(SUM(CASE WHEN s.esito = 'OK' THEN 1 ELSE 0 END), 0) AS FlowsAcquired, " +
        "COALESCE(SUM(CASE WHEN s.esito <> 'OK' THEN 1 ELSE 0 END), 0) AS FlowsRefused, " +
        "COALESCE(SUM(CASE WHEN s.esito = 'OK' THEN s.records_valid ELSE 0 END), 0) AS RecordsAccepted, " +
        "COALESCE(SUM(CASE WHEN s.esito <> 'OK' THEN s.record_count ELSE 0 END), 0) AS RecordsRefused, " +
        "COALESCE(SUM(CASE WHEN s.esito = 'OK' THEN s.records_late ELSE 0 END), 0) AS RecordsLate, " +
        "COALESCE(SUM(CASE WHEN s.esito = 'OK' THEN s.records_warned ELSE 0 END), 0) AS RecordsWarned, " +
        "MAX(s.received_at) AS LastSubmission " +
        "FROM agencies a LEFT JOIN submissions s ON s.agency_code = a.code AND s.received_at >= @from AND s.received_at < @to " +
        "GROUP BY a.code, a.name ORDER BY a.code";

    /// <summary>The report for [<paramref name="from"/>, <paramref name="to"/>], both calendar days included (UTC).</summary>
    public async Task<IReadOnlyList<ComplianceRow>> ForPeriodAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        if (to < from) throw new ArgumentException("The period ends before it starts.");
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ComplianceRow>(ByAgency, new
        {
            from = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            to = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        });
        return rows.AsList();
    }
}
