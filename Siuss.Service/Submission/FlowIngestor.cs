using System.Xml;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Flows;
using Siuss.Service.Options;
using Siuss.Service.Rules;
using Siuss.Service.Storage;

namespace Siuss.Service.Submission;

/// <summary>What reading and applying a flow found: flow-level errors and one result per record.</summary>
public sealed class FlowCheckResult
{
    /// <summary>Errors about the flow as a whole.</summary>
    public List<Errore> FlowErrors { get; } = [];
    /// <summary>One result per record, in flow order.</summary>
    public List<EsitoRecord> Records { get; } = [];

    /// <summary>The flow's outcome: any invalid part makes it invalid; only unknown cancellations make it DATI_NON_TROVATI.</summary>
    public string Esito
    {
        get
        {
            if (FlowErrors.Count > 0) return Esiti.RichiestaInvalida;
            bool notFound = false;
            foreach (var r in Records)
            {
                if (r.Esito == Esiti.RichiestaInvalida) return Esiti.RichiestaInvalida;
                notFound |= r.Esito == Esiti.DatiNonTrovati;
            }
            return notFound ? Esiti.DatiNonTrovati : Esiti.Ok;
        }
    }

    /// <summary>The record counts stored with the submission and shown in the receipt (one pass over the records).</summary>
    public RecordCounts Counts
    {
        get
        {
            int valid = 0, late = 0, warned = 0;
            foreach (var r in Records)
            {
                if (r.Esito == Esiti.Ok) valid++;
                if (r.Tardivo) late++;
                if (r.Esito == Esiti.Ok && r.Avvertenze.Count > 0) warned++;
            }
            return new(Records.Count, valid, Records.Count - valid, late, warned);
        }
    }

    /// <summary>Adds a flow-level error.</summary>
    public void AddFlowError(string code, string? field, string message) =>
        FlowErrors.Add(new Errore { Codice = code, Campo = field, Messaggio = message });
}

/// <summary>
/// Streams a PS_PSA_SINA flow through the schema, the rules and the writer: one record at a time,
/// inside the writer's single transaction.
/// </summary>
public sealed class FlowIngestor(LimitOptions limits)
{
    /// <summary>
    /// Flows larger than this are read one step ahead of the writer, on another thread: parsing and schema
    /// validation then overlap the database inserts. Smaller ones are not worth the thread hop.
    /// </summary>
    public const long ReadAheadThresholdBytes = 256 * 1024;

    private const int ReadAheadItems = 256;

    /// <summary>Reads the flow and applies valid records to <paramref name="writer"/>; never commits.</summary>
    public async Task<FlowCheckResult> IngestPsPsaSinaAsync(
        ReceivedFlow flow, Trasmissione header, Agency agency, RuleContext rules, FlowWriter writer, CancellationToken ct)
    {
        await using var stream = flow.OpenRead();
        var reader = new PsPsaSinaFlowReader(stream, FlowSchemas.PsPsaSina, limits.MaxFlowBytes, limits.MaxSchemaErrors);
        return await IngestAsync(reader, Checked(reader.ReadBeneficiari(), rules), ReadAhead(flow), header, agency, rules,
            (beneficiario, result) => ApplyBeneficiarioAsync(beneficiario, writer, rules.Severities, result, ct), ct);
    }

    /// <summary>Reads a SINBA flow and stores its valid records through <paramref name="writer"/>; never commits.</summary>
    public async Task<FlowCheckResult> IngestSinbaAsync(
        ReceivedFlow flow, Trasmissione header, Agency agency, RuleContext rules, FlowWriter writer, CancellationToken ct)
    {
        await using var stream = flow.OpenRead();
        var reader = new SinbaFlowReader(stream, FlowSchemas.Sinba, limits.MaxFlowBytes, limits.MaxSchemaErrors);
        return await IngestAsync(reader, reader.ReadRecords(), ReadAhead(flow), header, agency, rules, async (record, result) =>
        {
            var violations = SinbaRules.Check(record, rules);
            if (!Refuses(violations, rules.Severities)) await writer.AddSinbaAsync(record, ct);
            // The receipt never echoes IDBeneficiario: SINBA records are identified by position only.
            result.Records.Add(Result(record.Progressivo, "I", "", "", late: false, violations, rules.Severities));
        }, ct);
    }

    /// <summary>True when <paramref name="flow"/> is large enough to be read ahead of the writer.</summary>
    internal static bool ReadAhead(ReceivedFlow flow) => flow.Length > ReadAheadThresholdBytes;

    // The loop both flow types share: identification checked once, the record limit, schema and XML errors.
    // The consumer sees the reader only through each item's snapshot, so it never races a reader running ahead.
    private async Task<FlowCheckResult> IngestAsync<TReader, TItem>(TReader reader, IEnumerable<TItem> items, bool readAhead,
        Trasmissione header, Agency agency, RuleContext rules, Func<TItem, FlowCheckResult, Task> ingest, CancellationToken ct)
        where TReader : FlowReader
    {
        using var _ = reader;
        var result = new FlowCheckResult();
        bool identificationChecked = false;
        await using var source = readAhead
            ? FlowReadAhead<ReadItem<TItem>>.Start(Snapshots(reader, items), ReadAheadItems, ct)
            : FlowReadAhead<ReadItem<TItem>>.InLine(Snapshots(reader, items));
        try
        {
            await foreach (var read in source.ReadAllAsync())
            {
                if (read.SchemaErrorsSeen) continue; // keep reading only to list schema errors
                if (!identificationChecked)
                {
                    identificationChecked = true;
                    foreach (var v in FlowRules.CheckIdentification(read.Identification!, header, agency, rules.ReceiptDate))
                        result.AddFlowError(v.Code, v.Field, v.Message);
                }
                if (read.RecordCount > limits.MaxRecordsPerFlow)
                {
                    result.AddFlowError(RuleCodes.FlowTooManyRecords, "Flusso", $"The flow has more than {limits.MaxRecordsPerFlow} records.");
                    result.Records.Clear();
                    return result;
                }
                await ingest(read.Item, result);
            }
        }
        catch (XmlException e)
        {
            return Unreadable(result, e);
        }
        AddSchemaErrors(result, reader.SchemaErrors); // the reader has finished: its list is final
        return result;
    }

    // What the consumer needs to know of the reader at the moment an item was read.
    private readonly record struct ReadItem<TItem>(TItem Item, int RecordCount, bool SchemaErrorsSeen, FlowIdentification? Identification);

    private static IEnumerable<ReadItem<TItem>> Snapshots<TItem>(FlowReader reader, IEnumerable<TItem> items)
    {
        foreach (var item in items)
            yield return new(item, reader.RecordCount, reader.SchemaErrors.Count > 0, reader.Identification);
    }

    private static EsitoRecord Result(int progressivo, string operazione, string codice, string protocollo, bool late,
        List<RuleViolation> violations, RuleSeverities severities) =>
        Result(progressivo, operazione, codice, protocollo, late, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(violations), severities);

    /// <summary>True when a violation refuses its record at the severities in force (warnings and silenced rules do not).</summary>
    private static bool Refuses(ReadOnlySpan<RuleViolation> violations, RuleSeverities severities)
    {
        foreach (var v in violations)
        {
            if (severities.Of(v.Code) == RuleSeverity.Refuse) return true;
        }
        return false;
    }

    private static bool Refuses(List<RuleViolation> violations, RuleSeverities severities) =>
        Refuses(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(violations), severities);

    // The violations are copied: the caller's list is reused for the next record. Each goes where its severity says:
    // an error (the record is refused), a warning beside the accepted record, or nowhere (silenced).
    private static EsitoRecord Result(int progressivo, string operazione, string codice, string protocollo, bool late,
        ReadOnlySpan<RuleViolation> violations, RuleSeverities severities)
    {
        bool refused = false, allDataNotFound = true;
        foreach (var v in violations)
        {
            if (severities.Of(v.Code) != RuleSeverity.Refuse) continue;
            refused = true;
            allDataNotFound &= v.IsDataNotFound;
        }
        var record = new EsitoRecord
        {
            Progressivo = progressivo,
            Operazione = operazione,
            CodicePrestazione = codice,
            ProtocolloDomanda = protocollo,
            Tardivo = late && !refused,
            Esito = !refused ? Esiti.Ok
                : allDataNotFound ? Esiti.DatiNonTrovati
                : Esiti.RichiestaInvalida,
        };
        foreach (var v in violations)
        {
            var severity = severities.Of(v.Code);
            if (severity == RuleSeverity.Off) continue;
            (severity == RuleSeverity.Refuse ? record.Errori : record.Avvertenze).Add(new Errore { Codice = v.Code, Campo = v.Field, Messaggio = v.Message });
        }
        return record;
    }

    private static FlowCheckResult Unreadable(FlowCheckResult result, XmlException e)
    {
        result.Records.Clear();
        if (Siuss.Signing.SafeXml.IsDtdRefusal(e))
            result.AddFlowError(RuleCodes.FlowDtdProhibited, "Flusso", "The flow carries a DTD or entity declarations, which are refused.");
        else
            result.AddFlowError(RuleCodes.FlowXmlMalformed, "Flusso", $"The flow is not well-formed XML: {ReceiptText.Printable(e.Message)}");
        return result;
    }

    // Record results would describe a document the register did not understand: drop them.
    private static void AddSchemaErrors(FlowCheckResult result, IReadOnlyList<FlowProblem> errors)
    {
        if (errors.Count == 0) return;
        result.Records.Clear();
        foreach (var e in errors)
            result.AddFlowError(RuleCodes.FlowSchemaInvalid, "Flusso", $"Line {e.Line}, position {e.Position}: {e.Message}");
    }

    // A beneficiary as the rules found it. Checked where it was read: for a large flow that is the read-ahead thread,
    // so rules, digests and JSON overlap the inserts instead of lengthening the writer's turn.
    private sealed record CheckedBeneficiario(Beneficiario Beneficiario, string FiscalCode, CheckedPrestazione[] Prestazioni);

    // Violations holds the beneficiary's and the record's own (errors and warnings); Late and Stored matter only when none refuses.
    private readonly record struct CheckedPrestazione(Prestazione Prestazione, RuleViolation[] Violations, bool Refused, bool Late, StoredForm Stored);

    private static IEnumerable<CheckedBeneficiario> Checked(IEnumerable<Beneficiario> beneficiari, RuleContext rules)
    {
        var violations = new List<RuleViolation>(); // one scratch list for the whole flow, records are checked one at a time
        foreach (var b in beneficiari)
        {
            violations.Clear();
            RecordRules.CheckBeneficiario(b, violations);
            int beneficiaryViolations = violations.Count; // the first ones in the list, shared by each of its records
            var fiscalCode = FiscalCode.Normalize(b.CodiceFiscale);
            var prestazioni = new CheckedPrestazione[b.Prestazioni.Count];
            for (int i = 0; i < prestazioni.Length; i++)
            {
                var p = b.Prestazioni[i];
                violations.RemoveRange(beneficiaryViolations, violations.Count - beneficiaryViolations); // the previous record's own
                RecordRules.CheckPrestazione(p, rules, violations);
                RuleViolation[] found = violations.Count > 0 ? violations.ToArray() : [];
                prestazioni[i] = Refuses(violations, rules.Severities)
                    ? new(p, found, true, false, default)
                    : new(p, found, false, p.TipoOperazione == "I" && RecordRules.IsLate(p, rules.ReceiptDate), StoredForm.Of(fiscalCode, p));
            }
            yield return new(b, fiscalCode, prestazioni);
        }
    }

    // The writer's part: the beneficiary is stored with its first valid record; the database may still find a record
    // a duplicate, or a cancellation without its record.
    private static async Task ApplyBeneficiarioAsync(CheckedBeneficiario c, FlowWriter writer, RuleSeverities severities, FlowCheckResult result, CancellationToken ct)
    {
        long? beneficiaryId = null;
        foreach (var (p, violations, refused, isLate, stored) in c.Prestazioni)
        {
            bool late = false;
            RuleViolation? found = null;
            if (!refused)
            {
                beneficiaryId ??= await writer.AddBeneficiarioAsync(c.Beneficiario, c.FiscalCode, ct);
                late = isLate;
                found = await writer.ApplyAsync(beneficiaryId.Value, c.FiscalCode, p, late, stored, ct) switch
                {
                    ApplyOutcome.Duplicate => new(RuleCodes.RecordDuplicate, "PrestazioniSociali", "An active record with the same natural key already exists."),
                    ApplyOutcome.NotFound => new(RuleCodes.RecordNotFound, "PrestazioniSociali", "No active record matches this cancellation."),
                    _ => null,
                };
            }
            result.Records.Add(found is { } v
                ? Result(p.Progressivo, p.TipoOperazione, p.CodicePrestazione, p.ProtocolloDomanda, late, new ReadOnlySpan<RuleViolation>([.. violations, v]), severities)
                : Result(p.Progressivo, p.TipoOperazione, p.CodicePrestazione, p.ProtocolloDomanda, late, violations, severities));
        }
    }
}
