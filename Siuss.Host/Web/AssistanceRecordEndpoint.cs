using System.ServiceModel;
using Siuss.Contracts;
using Siuss.Service.Queries;
using Siuss.Service.Submission;

namespace Siuss.Host.Web;

/// <summary>The SOAP face of the register: maps contract messages to the pipelines and refusals to SOAP faults.</summary>
public sealed class AssistanceRecordEndpoint(
    SubmissionService submissions,
    ReceiptQueryService receipts,
    RecordHistoryService history,
    BeneficiaryBenefitsService beneficiaryBenefits,
    ReceiptListService receiptList,
    ReconciliationService reconciliation,
    IHttpContextAccessor httpContext,
    ILogger<AssistanceRecordEndpoint> logger) : IAssistanceRecordService
{
    /// <inheritdoc />
    public async Task<SubmitFlowResponse> SubmitFlowAsync(SubmitFlowRequest request)
    {
        var ricevuta = await Guard(() => submissions.SubmitAsync(request?.Trasmissione, request?.Flusso, CorrelationId, Aborted));
        return new SubmitFlowResponse { Ricevuta = ricevuta };
    }

    /// <inheritdoc />
    public async Task<GetReceiptResponse> GetReceiptAsync(GetReceiptRequest request)
    {
        var ricevuta = await Guard(() => receipts.GetReceiptAsync(request?.Richiesta, CorrelationId, Aborted));
        return new GetReceiptResponse { Ricevuta = ricevuta };
    }

    /// <inheritdoc />
    public async Task<GetRecordHistoryResponse> GetRecordHistoryAsync(GetRecordHistoryRequest request)
    {
        var storico = await Guard(() => history.GetHistoryAsync(request?.Richiesta, CorrelationId, Aborted));
        return new GetRecordHistoryResponse { Storico = storico };
    }

    /// <inheritdoc />
    public async Task<ListReceiptsResponse> ListReceiptsAsync(ListReceiptsRequest request)
    {
        var elenco = await Guard(() => receiptList.ListAsync(request?.Richiesta, CorrelationId, Aborted));
        return new ListReceiptsResponse { Elenco = elenco };
    }

    /// <inheritdoc />
    public async Task<ReconcileRecordsResponse> ReconcileRecordsAsync(ReconcileRecordsRequest request)
    {
        var riconciliazione = await Guard(() => reconciliation.ReconcileAsync(request?.Richiesta, CorrelationId, Aborted));
        return new ReconcileRecordsResponse { Riconciliazione = riconciliazione };
    }

    /// <inheritdoc />
    public async Task<GetBeneficiaryBenefitsResponse> GetBeneficiaryBenefitsAsync(GetBeneficiaryBenefitsRequest request)
    {
        var prestazioni = await Guard(() => beneficiaryBenefits.GetBenefitsAsync(request?.Richiesta, CorrelationId, Aborted));
        return new GetBeneficiaryBenefitsResponse { Prestazioni = prestazioni };
    }

    private string CorrelationId => SoapFault.CorrelationIdOf(httpContext.HttpContext);

    private CancellationToken Aborted => httpContext.HttpContext?.RequestAborted ?? CancellationToken.None;

    // SoapCore writes the fault from the FaultException (SoapFaultTransformer); the mapping and its log line are the seam's.
    private async Task<byte[]> Guard(Func<Task<byte[]>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is not FaultException and not OperationCanceledException)
        {
            var (code, message) = SoapFault.FromException(e, logger, CorrelationId);
            throw new FaultException(new FaultReason(message), new FaultCode(code, Namespaces.Faults), "");
        }
    }
}
