using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Service.Signing;
using Siuss.Service.Storage;
using Siuss.Service.Submission;

namespace Siuss.Service.Queries;

/// <summary>Answers GetReceipt: a body reads back a receipt it was issued, by acquisition id or by its own IdMessaggio.</summary>
public sealed class ReceiptQueryService(
    SubmissionRepository submissions,
    SignedQueryAuthenticator authenticator,
    RegisterDocumentSigner documentSigner)
{
    /// <summary>The operation name a GetReceipt <c>Richiesta</c> carries.</summary>
    public const string Operation = "GetReceipt";

    /// <summary>Returns the stored signed receipt, or a signed DATI_NON_TROVATI receipt; faults for bad requests.</summary>
    public async Task<byte[]> GetReceiptAsync(byte[]? richiestaBytes, string correlationId, CancellationToken ct = default)
    {
        var query = await authenticator.AuthenticateAsync(richiestaBytes, Operation, ct);
        var request = query.Request;
        if (string.IsNullOrEmpty(request.IdAcquisizione) == string.IsNullOrEmpty(request.IdMessaggioTrasmissione))
            throw new RegisterFaultException(FaultCodes.DocumentInvalid, "GetReceipt needs exactly one of IdAcquisizione and IdMessaggioTrasmissione.");

        var found = request.IdAcquisizione is { Length: > 0 } id
            ? await submissions.FindByAcquisitionAsync(query.Agency.Code, id, ct)
            : await submissions.FindByMessageAsync(query.Agency.Code, MessageId.Canonical(request.IdMessaggioTrasmissione!), ct);
        if (found?.Ricevuta is { } stored) return stored;

        return documentSigner.Sign(new Ricevuta
        {
            Esito = Esiti.DatiNonTrovati,
            CodiceEnte = query.Agency.Code,
            IdMessaggio = request.IdMessaggio,
            DataOraRicezione = query.ReceivedAt,
            HashRichiesta = query.RequestHash,
            IdCorrelazione = correlationId,
            ErroriFlusso = [new Errore { Codice = RuleCodes.ReceiptNotFound, Messaggio = "No receipt of this body matches the request." }],
        });
    }
}
