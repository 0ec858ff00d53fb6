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
    public string Esito =>
        FlowErrors.Count > 0 || Records.Any(r => r.Esito == Esiti.RichiestaInvalida) ? Esiti.RichiestaInvalida
        : Records.Any(r => r.Esito == Esiti.DatiNonTrovati) ? Esiti.DatiNonTrovati
        : Esiti.Ok;

    /// <summary>The record counts stored with the submission and shown in the receipt.</summary>
    public RecordCounts Counts => new(
        Records.Count,
        Records.Count(r => r.Esito == Esiti.Ok),
        Records.Count(r => r.Esito != Esiti.Ok),
        Records.Count(r => r.Tardivo));

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
    /// <summary>Reads the flow and applies valid records to <paramref name="writer"/>; never commits.</summary>
    public async Task<FlowCheckResult> IngestPsPsaSinaAsync(
        Stream flow, Trasmissione header, Agency agency, RuleContext rules, FlowWriter writer, CancellationToken ct)
    {
        var result = new FlowCheckResult();
        using var reader = new PsPsaSinaFlowReader(flow, FlowSchemas.PsPsaSina, limits.MaxFlowBytes, limits.MaxSchemaErrors);
        bool identificationChecked = false;
        try
        {
            foreach (var beneficiario in reader.ReadBeneficiari())
            {
                if (reader.SchemaErrors.Count > 0) continue; // keep reading only to list schema errors
                if (!identificationChecked)
                {
                    identificationChecked = true;
                    foreach (var v in FlowRules.CheckIdentification(reader.Identification!, header, agency, rules.ReceiptDate))
                        result.AddFlowError(v.Code, v.Field, v.Message);
                }
                if (reader.RecordCount > limits.MaxRecordsPerFlow)
                {
                    result.AddFlowError(RuleCodes.FlowTooManyRecords, "Flusso", $"The flow has more than {limits.MaxRecordsPerFlow} records.");
                    result.Records.Clear();
                    return result;
                }
                await IngestBeneficiarioAsync(beneficiario, rules, writer, result, ct);
            }
        }
        catch (XmlException e) when (Siuss.Signing.SafeXml.IsDtdRefusal(e))
        {
            result.Records.Clear();
            result.AddFlowError(RuleCodes.FlowDtdProhibited, "Flusso", "The flow carries a DTD or entity declarations, which are refused.");
            return result;
        }
        catch (XmlException e)
        {
            result.Records.Clear();
            result.AddFlowError(RuleCodes.FlowXmlMalformed, "Flusso", $"The flow is not well-formed XML: {e.Message}");
            return result;
        }

        if (reader.SchemaErrors.Count > 0)
        {
            // Record results would describe a document the register did not understand: drop them.
            result.Records.Clear();
            foreach (var e in reader.SchemaErrors)
                result.AddFlowError(RuleCodes.FlowSchemaInvalid, "Flusso", $"Line {e.Line}, position {e.Position}: {e.Message}");
        }
        return result;
    }

    private static async Task IngestBeneficiarioAsync(Beneficiario b, RuleContext rules, FlowWriter writer, FlowCheckResult result, CancellationToken ct)
    {
        var beneficiaryViolations = RecordRules.CheckBeneficiario(b).ToList();
        var fiscalCode = FiscalCode.Normalize(b.CodiceFiscale);
        long? beneficiaryId = null;
        foreach (var p in b.Prestazioni)
        {
            var violations = new List<RuleViolation>(beneficiaryViolations);
            violations.AddRange(RecordRules.CheckPrestazione(p, rules));
            bool late = false;
            if (violations.Count == 0)
            {
                beneficiaryId ??= await writer.AddBeneficiarioAsync(b, fiscalCode, ct);
                late = p.TipoOperazione == "I" && RecordRules.IsLate(p, rules.ReceiptDate);
                switch (await writer.ApplyAsync(beneficiaryId.Value, fiscalCode, p, late, ct))
                {
                    case ApplyOutcome.Duplicate:
                        violations.Add(new(RuleCodes.RecordDuplicate, "PrestazioniSociali", "An active record with the same natural key already exists."));
                        break;
                    case ApplyOutcome.NotFound:
                        violations.Add(new(RuleCodes.RecordNotFound, "PrestazioniSociali", "No active record matches this cancellation."));
                        break;
                }
            }
            result.Records.Add(new EsitoRecord
            {
                Progressivo = p.Progressivo,
                Operazione = p.TipoOperazione,
                CodicePrestazione = p.CodicePrestazione,
                ProtocolloDomanda = p.ProtocolloDomanda,
                Tardivo = late && violations.Count == 0,
                Esito = violations.Count == 0 ? Esiti.Ok
                    : violations.All(v => v.IsDataNotFound) ? Esiti.DatiNonTrovati
                    : Esiti.RichiestaInvalida,
                Errori = violations.Select(v => new Errore { Codice = v.Code, Campo = v.Field, Messaggio = v.Message }).ToList(),
            });
        }
    }
}
