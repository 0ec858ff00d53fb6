using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Flows;
using Siuss.Service.Options;
using Siuss.Service.Rules;
using Siuss.Service.Signing;
using Siuss.Service.Storage;

namespace Siuss.Service.Submission;

/// <summary>
/// The submission pipeline: verify the signed header and who signed it, answer repeats from the
/// store, check the flow's digest and size, stream it through schema and rules into one
/// transaction, and answer with a signed receipt that is stored with the raw request.
/// </summary>
public sealed class SubmissionService(
    Database database,
    SubmissionRepository submissions,
    AgencyRepository agencies,
    SenderAuthenticator authenticator,
    BenefitCodeCatalog codes,
    RuleSeverityCatalog severities,
    RegisterDocumentSigner documentSigner,
    IOptions<SiussOptions> options,
    TimeProvider clock,
    ILogger<SubmissionService> logger,
    BodyRateLimiter? rateLimiter = null)
{
    private readonly SiussOptions _options = options.Value;

    /// <summary>Handles one SubmitFlow call with the flow in memory; returns the signed receipt bytes or throws <see cref="RegisterFaultException"/>.</summary>
    public async Task<byte[]> SubmitAsync(byte[]? trasmissioneBytes, byte[]? flowBytes, string correlationId, CancellationToken ct = default)
    {
        if (flowBytes is null) return await SubmitAsync(trasmissioneBytes, (ReceivedFlow?)null, correlationId, ct);
        await using var flow = ReceivedFlow.FromBytes(flowBytes);
        return await SubmitAsync(trasmissioneBytes, flow, correlationId, ct);
    }

    /// <summary>
    /// Handles one SubmitFlow call with the flow as received (size and digest already known, bytes re-readable);
    /// returns the signed receipt bytes or throws <see cref="RegisterFaultException"/>. The caller keeps ownership of <paramref name="flow"/>.
    /// </summary>
    public async Task<byte[]> SubmitAsync(byte[]? trasmissioneBytes, ReceivedFlow? flow, string correlationId, CancellationToken ct = default)
    {
        var signed = SignedDocumentReader.Read<Trasmissione>(trasmissioneBytes, _options.Limits.MaxSignedDocumentBytes);
        var header = signed.Value;
        header.IdMessaggio = MessageId.Canonical(header.IdMessaggio);
        var dataOra = header.DataOra.ToUniversalTime();
        var agency = await authenticator.AuthenticateAsync(header.CodiceEnte, signed.Signer, dataOra, ct);
        CheckRate(agency);
        var requestHash = Sha256Hex(signed.RawBytes);

        var repeat = await AnswerRepeatAsync(agency.Code, header.IdMessaggio, requestHash, ct);
        if (repeat is not null) return repeat;

        var now = clock.GetUtcNow().UtcDateTime;
        FreshnessPolicy.Check(dataOra, now, _options.Freshness.MaxSubmissionAge, _options.Freshness);
        if (flow is null || flow.Length == 0)
            throw new RegisterFaultException(FaultCodes.PayloadMissing, "The flow file is missing.");

        return await SubmitCheckedAsync(header, signed.RawBytes, requestHash, agency, flow, canale: null, now, correlationId, ct);
    }

    /// <summary>
    /// Handles one flow uploaded through the web channel by an operator of <see cref="WebUpload.CodiceEnte"/>: the same
    /// validation, storage and signed receipt as SubmitFlow. With no signed Trasmissione, the register writes the header
    /// itself from the flow (type, name, digest, size, a fresh IdMessaggio) and keeps it, unsigned, as the request; the
    /// receipt's <see cref="Canale"/> names the operator's account and session. Throws <see cref="RegisterFaultException"/>.
    /// </summary>
    public async Task<byte[]> SubmitFromWebAsync(WebUpload upload, ReceivedFlow flow, string correlationId, CancellationToken ct = default)
    {
        var agency = await agencies.FindAsync(upload.CodiceEnte, ct)
            ?? throw new RegisterFaultException(FaultCodes.AgencyUnknown, $"No paying body '{upload.CodiceEnte}' is registered.");
        CheckRate(agency);
        if (flow.Length == 0)
            throw new RegisterFaultException(FaultCodes.PayloadMissing, "The flow file is missing.");
        var now = clock.GetUtcNow().UtcDateTime;
        var (tipoFlusso, nomeFlusso) = FlowHeaderPeek.Read(flow, _options.Limits.MaxFlowBytes);
        var header = new Trasmissione
        {
            IdMessaggio = Guid.NewGuid().ToString(),
            DataOra = now,
            CodiceEnte = agency.Code,
            TipoFlusso = tipoFlusso,
            NomeFlusso = nomeFlusso,
            HashFlusso = flow.Sha256Hex,
            DimensioneFlusso = flow.Length,
        };
        var request = Unsigned(header);
        return await SubmitCheckedAsync(header, request, Sha256Hex(request), agency, flow, upload.Canale, now, correlationId, ct);
    }

    private void CheckRate(Agency agency)
    {
        if (rateLimiter is not null && !rateLimiter.TryAcquire(agency.Code, out var retryAfter))
            throw new RegisterFaultException(FaultCodes.RateLimited,
                $"Too many submissions from '{agency.Code}'; nothing was stored. Retry after {Math.Ceiling(retryAfter.TotalMilliseconds)} ms.");
    }

    private static readonly System.Xml.Serialization.XmlSerializer TrasmissioneSerializer = new(typeof(Trasmissione));

    private static byte[] Unsigned(Trasmissione header)
    {
        using var buffer = new MemoryStream();
        TrasmissioneSerializer.Serialize(buffer, header);
        return buffer.ToArray();
    }

    // Both channels from here on: the body is known and the flow is fresh.
    private async Task<byte[]> SubmitCheckedAsync(Trasmissione header, byte[] request, string requestHash, Agency agency,
        ReceivedFlow flow, Canale? canale, DateTime now, string correlationId, CancellationToken ct)
    {
        var draft = new SubmissionDraft(
            agency.Code, header.IdMessaggio, requestHash, header.TipoFlusso, header.NomeFlusso, flow.Sha256Hex,
            flow.Length, Guid.NewGuid().ToString(), now, correlationId, request, flow);

        try
        {
            var receipt = await ProcessAsync(draft, header, agency, flow, canale, ct);
            logger.LogInformation("Submission {IdMessaggio} from {Ente} ({TipoFlusso}) answered {Esito}, correlation {CorrelationId}",
                header.IdMessaggio, agency.Code, header.TipoFlusso, receipt.Esito, correlationId);
            return receipt.Bytes;
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            // A concurrent request with the same IdMessaggio won the race; answer with its receipt.
            var winner = await AnswerRepeatAsync(agency.Code, header.IdMessaggio, requestHash, ct);
            if (winner is null) throw;
            return winner;
        }
        catch (Exception e) when (e is not RegisterFaultException and not OperationCanceledException)
        {
            logger.LogError(e, "Submission {IdMessaggio} from {Ente} failed, correlation {CorrelationId}", header.IdMessaggio, agency.Code, correlationId);
            var ricevuta = NewReceipt(draft, Esiti.ErroreGenerico, new FlowCheckResult(), canale);
            ricevuta.IdAcquisizione = null;
            ricevuta.ErroriFlusso.Add(new Errore { Codice = RuleCodes.InternalError, Messaggio = "The register could not complete the submission; nothing was stored. Send it again." });
            return documentSigner.Sign(ricevuta);
        }
    }

    private async Task<(string Esito, byte[] Bytes)> ProcessAsync(
        SubmissionDraft draft, Trasmissione header, Agency agency, ReceivedFlow flow, Canale? canale, CancellationToken ct)
    {
        var precheck = PreCheck(draft, header);
        if (precheck.FlowErrors.Count == 0 && await submissions.IsFlowNameAcquiredAsync(agency.Code, header.NomeFlusso, ct))
            precheck.AddFlowError(RuleCodes.FlowNameAlreadyAcquired, "NomeFlusso", $"A flow named '{header.NomeFlusso}' was already acquired.");
        if (precheck.FlowErrors.Count > 0)
            return await StoreRefusedAsync(draft, precheck, canale, ct);

        var rules = new RuleContext(ReceiptDate(draft.ReceivedAt), await codes.CurrentAsync(ct), await severities.CurrentAsync(ct));
        FlowCheckResult result;
        await using (var writer = await FlowWriter.BeginAsync(database, draft, ct))
        {
            var ingestor = new FlowIngestor(_options.Limits);
            result = header.TipoFlusso == TipiFlusso.Sinba
                ? await ingestor.IngestSinbaAsync(flow, header, agency, rules, writer, ct)
                : await ingestor.IngestPsPsaSinaAsync(flow, header, agency, rules, writer, ct);
            if (result.Esito == Esiti.Ok)
            {
                var receipt = documentSigner.Sign(NewReceipt(draft, Esiti.Ok, result, canale));
                if (await writer.CommitAsync(Esiti.Ok, result.Counts, receipt, ct))
                    return (Esiti.Ok, receipt);
                result = new FlowCheckResult();
                result.AddFlowError(RuleCodes.FlowNameAlreadyAcquired, "NomeFlusso", $"A flow named '{header.NomeFlusso}' was already acquired.");
            }
        }
        return await StoreRefusedAsync(draft, result, canale, ct);
    }

    private FlowCheckResult PreCheck(SubmissionDraft draft, Trasmissione header)
    {
        var result = new FlowCheckResult();
        if (draft.FlowSize > _options.Limits.MaxFlowBytes)
            result.AddFlowError(RuleCodes.FlowTooLarge, "Flusso", $"The flow is larger than {_options.Limits.MaxFlowBytes} bytes.");
        if (draft.FlowSize != header.DimensioneFlusso)
            result.AddFlowError(RuleCodes.FlowSizeMismatch, "DimensioneFlusso", $"The flow has {draft.FlowSize} bytes, the Trasmissione signed {header.DimensioneFlusso}.");
        if (!string.Equals(draft.FlowHash, header.HashFlusso, StringComparison.Ordinal))
            result.AddFlowError(RuleCodes.FlowDigestMismatch, "HashFlusso", "The SHA-256 of the flow received differs from the one signed in the Trasmissione.");
        return result;
    }

    private async Task<(string Esito, byte[] Bytes)> StoreRefusedAsync(SubmissionDraft draft, FlowCheckResult result, Canale? canale, CancellationToken ct)
    {
        var esito = result.Esito;
        var ricevuta = NewReceipt(draft, esito, result, canale);
        ricevuta.IdAcquisizione = null;
        var bytes = documentSigner.Sign(ricevuta);
        if (await submissions.StoreRefusedAsync(draft, esito, result.Counts, bytes, ct))
            return (esito, bytes);
        var winner = await AnswerRepeatAsync(draft.AgencyCode, draft.IdMessaggio, draft.RequestHash, ct)
            ?? throw new InvalidOperationException("A concurrent submission with the same IdMessaggio could not be read back.");
        return (esito, winner);
    }

    private async Task<byte[]?> AnswerRepeatAsync(string agencyCode, string idMessaggio, string requestHash, CancellationToken ct)
    {
        var existing = await submissions.FindByMessageAsync(agencyCode, idMessaggio, ct);
        if (existing is null) return null;
        if (existing.RequestHash != requestHash)
            throw new RegisterFaultException(FaultCodes.MessageIdReused, "This IdMessaggio was already used for a different Trasmissione.");
        return existing.Ricevuta;
    }

    private static Ricevuta NewReceipt(SubmissionDraft draft, string esito, FlowCheckResult result, Canale? canale) => new()
    {
        Esito = esito,
        IdAcquisizione = draft.IdAcquisizione,
        CodiceEnte = draft.AgencyCode,
        IdMessaggio = draft.IdMessaggio,
        NomeFlusso = draft.NomeFlusso,
        TipoFlusso = draft.TipoFlusso,
        DataOraRicezione = draft.ReceivedAt,
        HashRichiesta = draft.RequestHash,
        HashFlusso = draft.FlowHash,
        IdCorrelazione = draft.CorrelationId,
        Riepilogo = new Riepilogo
        {
            Totali = result.Counts.Total,
            Validi = result.Counts.Valid,
            Scartati = result.Counts.Rejected,
            Tardivi = result.Counts.Late,
            Avvertiti = result.Counts.Warned,
        },
        ErroriFlusso = result.FlowErrors,
        EsitiRecord = result.Records,
        Canale = canale,
    };

    /// <summary>The calendar day of receipt in Italy, which the date rules are measured against.</summary>
    public static DateOnly ReceiptDate(DateTime receivedAtUtc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(receivedAtUtc, DateTimeKind.Utc), ItalianTime.Value));

    private static readonly Lazy<TimeZoneInfo> ItalianTime = new(() =>
        TimeZoneInfo.TryFindSystemTimeZoneById("Europe/Rome", out var zone) ? zone : TimeZoneInfo.Utc);

    internal static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
