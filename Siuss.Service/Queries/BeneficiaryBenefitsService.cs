using System.Globalization;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Service.Signing;
using Siuss.Service.Storage;
using Siuss.Service.Submission;

namespace Siuss.Service.Queries;

/// <summary>
/// Answers GetBeneficiaryBenefits: a consulting body reads one person's PS_PSA_SINA benefits across every
/// paying body. Every authenticated attempt is audited - allowed or refused - and an allowed answer is
/// returned only after its audit row is committed. Requests refused before the body is authenticated
/// (bad signature, unknown body or certificate, stale DataOra, replayed IdMessaggio) are not audited:
/// they showed nothing, cannot be attributed to a body, and would let anyone grow an append-only table.
/// </summary>
public sealed class BeneficiaryBenefitsService(
    BeneficiaryBenefitsRepository benefits,
    ConsultationAuditRepository audit,
    SignedQueryAuthenticator authenticator,
    RegisterDocumentSigner documentSigner)
{
    /// <summary>The operation name a GetBeneficiaryBenefits <c>Richiesta</c> carries.</summary>
    public const string Operation = Operazioni.GetBeneficiaryBenefits;

    /// <summary>Returns a signed <c>PrestazioniBeneficiario</c>; faults for bad or refused requests.</summary>
    public async Task<byte[]> GetBenefitsAsync(byte[]? richiestaBytes, string correlationId, CancellationToken ct = default)
    {
        var query = await authenticator.AuthenticateAsync(richiestaBytes, Operation, ct);
        var request = query.Request;
        // The schema lets through only [A-Za-z0-9]{11,16} (or nothing), so what is audited fits the column.
        var codiceFiscale = FiscalCode.Normalize(request.CodiceFiscale ?? "");

        if (!query.Agency.CanConsult)
            await RefuseAsync(query, codiceFiscale, correlationId, FaultCodes.ConsultationNotAllowed,
                "Only bodies with the consulting role may read another body's records; this attempt was audited.", ct);
        // The same code as GetRecordHistory for the same mistake.
        if (!FiscalCode.IsValid(codiceFiscale))
            await RefuseAsync(query, codiceFiscale, correlationId, FaultCodes.DocumentInvalid,
                "GetBeneficiaryBenefits needs a valid CodiceFiscale; this attempt was audited.", ct);

        var rows = await benefits.ForPersonAsync(codiceFiscale, ct);
        var answer = documentSigner.Sign(new PrestazioniBeneficiario
        {
            CodiceEnte = query.Agency.Code,
            IdMessaggio = request.IdMessaggio,
            DataOra = query.ReceivedAt,
            CodiceFiscale = codiceFiscale,
            IdCorrelazione = correlationId,
            Prestazioni = rows.Select(ToPrestazione).ToList(),
        });

        // Committed before the answer leaves: if the audit cannot be written, the answer is not given.
        await audit.AppendAsync(Entry(query, codiceFiscale, correlationId, ConsultationOutcomes.Allowed, faultCode: null,
            rows.Count, string.Join(' ', rows.Select(r => r.Id.ToString(CultureInfo.InvariantCulture))),
            SubmissionService.Sha256Hex(answer)), ct);
        return answer;
    }

    private async Task RefuseAsync(AuthenticatedQuery query, string codiceFiscale, string correlationId, string faultCode, string message, CancellationToken ct)
    {
        await audit.AppendAsync(Entry(query, codiceFiscale, correlationId, ConsultationOutcomes.Refused, faultCode, 0, "", answerHash: null), ct);
        throw new RegisterFaultException(faultCode, message);
    }

    private static ConsultationAuditEntry Entry(AuthenticatedQuery query, string codiceFiscale, string correlationId, string outcome,
        string? faultCode, int count, string recordIds, string? answerHash) => new()
    {
        OccurredAt = query.ReceivedAt,
        AgencyCode = query.Agency.Code,
        SignerThumbprint = query.SignerThumbprint,
        IdMessaggio = query.Request.IdMessaggio,
        RequestHash = query.RequestHash,
        CorrelationId = correlationId,
        CodiceFiscale = codiceFiscale,
        Outcome = outcome,
        FaultCode = faultCode,
        RecordCount = count,
        RecordIds = recordIds,
        AnswerHash = answerHash,
    };

    private static PrestazioneErogata ToPrestazione(BeneficiaryBenefitRow row)
    {
        var inizio = Date(row.DataInizioPrestazione);
        var fine = Date(row.DataFinePrestazione);
        var erogazione = Date(row.DataErogazionePrestazione);
        return new PrestazioneErogata
        {
            CodiceEnte = row.AgencyCode,
            DenominazioneEnte = row.AgencyName,
            CodicePrestazione = row.CodicePrestazione,
            DenominazionePrestazione = row.DenominazionePrestazione,
            ProtocolloDomanda = row.ProtocolloDomanda,
            DataRiferimento = Date(row.DataRiferimento) ?? default,
            Stato = row.Status == "A" ? "ATTIVA" : "ANNULLATA",
            DataInizioPrestazione = inizio ?? default,
            DataInizioPrestazioneSpecified = inizio is not null,
            DataFinePrestazione = fine ?? default,
            DataFinePrestazioneSpecified = fine is not null,
            DataErogazionePrestazione = erogazione ?? default,
            DataErogazionePrestazioneSpecified = erogazione is not null,
            ImportoPrestazione = row.ImportoPrestazione ?? 0,
            ImportoPrestazioneSpecified = row.ImportoPrestazione is not null,
            ImportoMensile = row.ImportoMensile ?? 0,
            ImportoMensileSpecified = row.ImportoMensile is not null,
            PeriodoErogazione = row.PeriodoErogazione ?? 0,
            PeriodoErogazioneSpecified = row.PeriodoErogazione is not null,
        };
    }

    // SQLite keeps dates as yyyy-MM-dd text, SQL Server as DATE.
    private static DateTime? Date(object? value) => value switch
    {
        null or DBNull => null,
        DateTime d => d.Date,
        string s => DateTime.ParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Unexpected date value of type {value.GetType().Name}."),
    };
}
