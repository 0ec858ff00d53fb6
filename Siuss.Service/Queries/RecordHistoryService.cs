using System.Globalization;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Service.Signing;
using Siuss.Service.Storage;
using Siuss.Service.Submission;

namespace Siuss.Service.Queries;

/// <summary>Answers GetRecordHistory: a body reads back every record it sent for one person, with who inserted and cancelled each.</summary>
public sealed class RecordHistoryService(
    RecordHistoryRepository history,
    SignedQueryAuthenticator authenticator,
    RegisterDocumentSigner documentSigner)
{
    /// <summary>The operation name a GetRecordHistory <c>Richiesta</c> carries.</summary>
    public const string Operation = "GetRecordHistory";

    /// <summary>Returns a signed <c>StoricoPrestazioni</c>; faults for bad requests.</summary>
    public async Task<byte[]> GetHistoryAsync(byte[]? richiestaBytes, string correlationId, CancellationToken ct = default)
    {
        var query = await authenticator.AuthenticateAsync(richiestaBytes, Operation, ct);
        var request = query.Request;
        if (!FiscalCode.IsValid(request.CodiceFiscale))
            throw new RegisterFaultException(FaultCodes.DocumentInvalid, "GetRecordHistory needs a valid CodiceFiscale.");
        var codiceFiscale = FiscalCode.Normalize(request.CodiceFiscale!);

        var rows = await history.ForPersonAsync(query.Agency.Code, codiceFiscale, request.CodicePrestazione, request.ProtocolloDomanda, ct);
        return documentSigner.Sign(new StoricoPrestazioni
        {
            CodiceEnte = query.Agency.Code,
            IdMessaggio = request.IdMessaggio,
            DataOra = query.ReceivedAt,
            CodiceFiscale = codiceFiscale,
            IdCorrelazione = correlationId,
            Prestazioni = rows.Select(ToVoce).ToList(),
        });
    }

    private static VocePrestazione ToVoce(RecordHistoryRow row) => new()
    {
        CodicePrestazione = row.CodicePrestazione,
        ProtocolloDomanda = row.ProtocolloDomanda,
        DataRiferimento = row.DataRiferimento is DateTime d ? d : DateTime.ParseExact(((string)row.DataRiferimento)[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture),
        Stato = row.Status == "A" ? "ATTIVA" : "ANNULLATA",
        ImportoPrestazione = row.ImportoPrestazione ?? 0,
        ImportoPrestazioneSpecified = row.ImportoPrestazione is not null,
        ImportoMensile = row.ImportoMensile ?? 0,
        ImportoMensileSpecified = row.ImportoMensile is not null,
        Tardiva = row.Late,
        InseritaDa = new RiferimentoFlusso { NomeFlusso = row.InsertFlow, IdAcquisizione = row.InsertAcquisition, DataOra = Utc(row.InsertedAt) },
        AnnullataDa = row.CancelFlow is null ? null
            : new RiferimentoFlusso { NomeFlusso = row.CancelFlow, IdAcquisizione = row.CancelAcquisition ?? "", DataOra = Utc(row.CancelledAt ?? default) },
    };

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
