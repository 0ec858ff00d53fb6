using Microsoft.Extensions.Options;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Options;
using Siuss.Service.Storage;
using Siuss.Service.Submission;

namespace Siuss.Service.Queries;

/// <summary>A signed query that passed every check: who asked (body and the certificate that signed), what, and when the register received it.</summary>
public sealed record AuthenticatedQuery(Richiesta Request, Agency Agency, string RequestHash, DateTime ReceivedAt, string SignerThumbprint);

/// <summary>
/// The checks every signed <c>Richiesta</c> passes before it is answered: signature profile, pinned
/// signer for the body named, the operation asked for, a fresh <c>DataOra</c>, and an
/// <c>IdMessaggio</c> never used before (so a captured request cannot be replayed).
/// </summary>
public sealed class SignedQueryAuthenticator(
    SenderAuthenticator authenticator,
    QueryMessageRepository queryMessages,
    IOptions<SiussOptions> options,
    TimeProvider clock)
{
    private readonly SiussOptions _options = options.Value;

    /// <summary>Authenticates a query for <paramref name="operation"/>; throws <see cref="RegisterFaultException"/> otherwise.</summary>
    public async Task<AuthenticatedQuery> AuthenticateAsync(byte[]? richiestaBytes, string operation, CancellationToken ct = default)
    {
        var signed = SignedDocumentReader.Read<Richiesta>(richiestaBytes, _options.Limits.MaxSignedDocumentBytes);
        var request = signed.Value;
        request.IdMessaggio = MessageId.Canonical(request.IdMessaggio);
        if (request.Operazione != operation)
            throw new RegisterFaultException(FaultCodes.DocumentInvalid, $"This Richiesta is for {request.Operazione}, not {operation}.");
        var dataOra = request.DataOra.ToUniversalTime();
        var agency = await authenticator.AuthenticateAsync(request.CodiceEnte, signed.Signer, dataOra, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        // A query is answered at once, so it must be fresh both ways.
        FreshnessPolicy.Check(dataOra, now, _options.Freshness.MaxClockSkew, _options.Freshness);
        var requestHash = SubmissionService.Sha256Hex(signed.RawBytes);
        if (!await queryMessages.TryRecordAsync(agency.Code, request.IdMessaggio, request.Operazione, requestHash, now, ct))
            throw new RegisterFaultException(FaultCodes.MessageIdReused, "This IdMessaggio was already used.");
        return new AuthenticatedQuery(request, agency, requestHash, now, AgencyRepository.Thumbprint(signed.Signer));
    }
}
