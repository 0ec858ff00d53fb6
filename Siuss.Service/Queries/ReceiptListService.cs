using Microsoft.Extensions.Options;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Options;
using Siuss.Service.Signing;
using Siuss.Service.Storage;
using Siuss.Service.Submission;

namespace Siuss.Service.Queries;

/// <summary>
/// Answers ListReceipts: a page of the asking body's stored receipts (acquired and refused flows alike) after a
/// cursor, each byte for byte as issued, in an order a batch job can resume from without gaps or repeats.
/// </summary>
public sealed class ReceiptListService(
    ReceiptListRepository receipts,
    SignedQueryAuthenticator authenticator,
    RegisterDocumentSigner documentSigner,
    IOptions<SiussOptions> options)
{
    /// <summary>Receipts per page when the request names no <c>Limit</c>, and the most it may name (as the WaaS API).</summary>
    public const int DefaultLimit = 10, MaxLimit = 100;

    /// <summary>Returns a signed <c>ElencoRicevute</c>; faults for bad requests.</summary>
    public async Task<byte[]> ListAsync(byte[]? richiestaBytes, string correlationId, CancellationToken ct = default)
    {
        var query = await authenticator.AuthenticateAsync(richiestaBytes, Operazioni.ListReceipts, ct);
        var request = query.Request;
        var limit = request.LimitSpecified ? request.Limit : DefaultLimit;
        if (limit is < 1 or > MaxLimit)
            throw new RegisterFaultException(FaultCodes.QueryInvalid, $"ListReceipts takes a Limit from 1 to {MaxLimit}.");
        var since = request.SinceSpecified ? request.Since : 0;
        if (since < 0)
            throw new RegisterFaultException(FaultCodes.QueryInvalid, "Since cannot be negative.");

        var page = await receipts.AfterAsync(query.Agency.Code, since, limit, options.Value.Limits.MaxReceiptPageBytes, ct);
        return documentSigner.Sign(new ElencoRicevute
        {
            CodiceEnte = query.Agency.Code,
            IdMessaggio = request.IdMessaggio,
            DataOra = query.ReceivedAt,
            IdCorrelazione = correlationId,
            Since = since,
            ProssimoCursore = page.Receipts.Count > 0 ? page.Receipts[^1].Cursor : since,
            AltreRicevute = page.More,
            Ricevute = page.Receipts.Select(r => new VoceRicevuta
            {
                Cursore = r.Cursor,
                IdMessaggio = r.IdMessaggio,
                IdAcquisizione = r.IdAcquisizione,
                NomeFlusso = r.NomeFlusso,
                TipoFlusso = r.TipoFlusso,
                Esito = r.Esito,
                DataOraRicezione = r.ReceivedAt,
                RicevutaFirmata = r.Ricevuta,
            }).ToList(),
        });
    }
}
