using System.Globalization;
using System.Text.RegularExpressions;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Signing;
using Siuss.Service.Storage;
using Siuss.Service.Submission;

namespace Siuss.Service.Queries;

/// <summary>
/// Answers ReconcileRecords: for one month of <c>DataRiferimento</c>, the digest of the asking body's active records,
/// the counts, and a page of its active and cancelled records with each one's content digest. Pages follow the
/// record id; records can change between pages, so a job compares <c>DigestPeriodo</c> at the start and end of its
/// paging and reads the period again when it moved.
/// </summary>
public sealed partial class ReconciliationService(
    ReconciliationRepository records,
    SignedQueryAuthenticator authenticator,
    RegisterDocumentSigner documentSigner)
{
    /// <summary>Records per page when the request names no <c>Limit</c>, and the most it may name; 0 asks for the digest and counts only.</summary>
    public const int DefaultLimit = 1000, MaxLimit = 5000;

    /// <summary>Returns a signed <c>Riconciliazione</c>; faults for bad requests.</summary>
    public async Task<byte[]> ReconcileAsync(byte[]? richiestaBytes, string correlationId, CancellationToken ct = default)
    {
        var query = await authenticator.AuthenticateAsync(richiestaBytes, Operazioni.ReconcileRecords, ct);
        var request = query.Request;
        if (request.Periodo is null || !MonthPattern().IsMatch(request.Periodo)
            || !DateOnly.TryParseExact(request.Periodo + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            // The period ends where the next month starts, and the calendar has no month after 9999-12.
            || from.AddDays(-1 + DateTime.DaysInMonth(from.Year, from.Month)) == DateOnly.MaxValue)
            throw new RegisterFaultException(FaultCodes.QueryInvalid, "ReconcileRecords needs Periodo as yyyy-MM (a month of DataRiferimento), from 0001-01 to 9999-11.");
        var limit = request.LimitSpecified ? request.Limit : DefaultLimit;
        if (limit is < 0 or > MaxLimit)
            throw new RegisterFaultException(FaultCodes.QueryInvalid, $"ReconcileRecords takes a Limit from 0 to {MaxLimit}.");
        var since = request.SinceSpecified ? request.Since : 0;
        if (since < 0)
            throw new RegisterFaultException(FaultCodes.QueryInvalid, "Since cannot be negative.");

        var slice = await records.ReadAsync(query.Agency.Code, from, from.AddMonths(1), since, limit, ct);
        return documentSigner.Sign(new Riconciliazione
        {
            CodiceEnte = query.Agency.Code,
            IdMessaggio = request.IdMessaggio,
            DataOra = query.ReceivedAt,
            IdCorrelazione = correlationId,
            Periodo = request.Periodo,
            DigestPeriodo = slice.DigestPeriodo,
            RecordAttivi = slice.Active,
            RecordAnnullati = slice.Cancelled,
            Since = since,
            ProssimoCursore = slice.Records.Count > 0 ? slice.Records[^1].Cursor : since,
            AltriRecord = slice.More,
            Records = slice.Records.Select(r => new VoceRiconciliazione
            {
                Cursore = r.Cursor,
                CodiceFiscale = r.CodiceFiscale,
                CodicePrestazione = r.CodicePrestazione,
                ProtocolloDomanda = r.ProtocolloDomanda,
                DataRiferimento = r.DataRiferimento.ToDateTime(TimeOnly.MinValue),
                Stato = r.Active ? "ATTIVA" : "ANNULLATA",
                Digest = r.Digest,
                IdAcquisizione = r.IdAcquisizione,
                NomeFlusso = r.NomeFlusso,
            }).ToList(),
        });
    }

    // xs:gYearMonth also allows a time zone and years beyond four digits; a period is a plain calendar month.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex MonthPattern();
}
