using Microsoft.Extensions.Options;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Options;
using Siuss.Service.Rules;
using Siuss.Service.Storage;
using Siuss.Service.Submission;

namespace Siuss.Service.Queries;

/// <summary>Answers GetReceipt: a body reads back a receipt it was issued, by acquisition id or by its own IdMessaggio.</summary>
public sealed class ReceiptQueryService(
    SubmissionRepository submissions,
    QueryMessageRepository queryMessages,
    SenderAuthenticator authenticator,
    ReceiptSigner receiptSigner,
    IOptions<SiussOptions> options,
    TimeProvider clock)
{
    private readonly SiussOptions _options = options.Value;

    /// <summary>Returns the stored signed receipt, or a signed DATI_NON_TROVATI receipt; faults for bad requests.</summary>
    public async Task<byte[]> GetReceiptAsync(byte[]? richiestaBytes, string correlationId, CancellationToken ct = default)
    {
        var signed = SignedDocumentReader.Read<Richiesta>(richiestaBytes, _options.Limits.MaxSignedDocumentBytes);
        var request = signed.Value;
        var dataOra = request.DataOra.ToUniversalTime();
        var agency = await authenticator.AuthenticateAsync(request.CodiceEnte, signed.Signer, dataOra, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        // A query is answered at once, so it must be fresh both ways.
        FreshnessPolicy.Check(dataOra, now, _options.Freshness.MaxClockSkew, _options.Freshness);
        var requestHash = SubmissionService.Sha256Hex(signed.RawBytes);
        if (!await queryMessages.TryRecordAsync(agency.Code, request.IdMessaggio, request.Operazione, requestHash, now, ct))
            throw new RegisterFaultException(FaultCodes.MessageIdReused, "This IdMessaggio was already used.");

        var found = request.IdAcquisizione is { Length: > 0 } id
            ? await submissions.FindByAcquisitionAsync(agency.Code, id, ct)
            : await submissions.FindByMessageAsync(agency.Code, request.IdMessaggioTrasmissione ?? "", ct);
        if (found?.Ricevuta is { } stored) return stored;

        return receiptSigner.Sign(new Ricevuta
        {
            Esito = Esiti.DatiNonTrovati,
            CodiceEnte = agency.Code,
            IdMessaggio = request.IdMessaggio,
            DataOraRicezione = now,
            HashRichiesta = requestHash,
            IdCorrelazione = correlationId,
            ErroriFlusso = [new Errore { Codice = RuleCodes.ReceiptNotFound, Messaggio = "No receipt of this body matches the request." }],
        });
    }
}
