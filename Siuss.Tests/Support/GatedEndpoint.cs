using Siuss.Contracts;

namespace Siuss.Tests.Support;

/// <summary>
/// Stands in for the register's SOAP service behind the real edge, slots and envelope rules: every operation waits
/// at a gate the test opens, then answers with a one-byte payload. It makes "a request is being processed" a state
/// the test controls, instead of a race against the clock.
/// </summary>
public sealed class GatedEndpoint : IAssistanceRecordService
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;

    /// <summary>How many requests reached the service (each one past the edge and holding a slot).</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>Lets every waiting and later request through.</summary>
    public void Open() => _gate.TrySetResult();

    private async Task<byte[]> PassAsync()
    {
        Interlocked.Increment(ref _entered);
        await _gate.Task;
        return [1];
    }

    public async Task<SubmitFlowResponse> SubmitFlowAsync(SubmitFlowRequest request) => new() { Ricevuta = await PassAsync() };
    public async Task<GetReceiptResponse> GetReceiptAsync(GetReceiptRequest request) => new() { Ricevuta = await PassAsync() };
    public async Task<GetRecordHistoryResponse> GetRecordHistoryAsync(GetRecordHistoryRequest request) => new() { Storico = await PassAsync() };
    public async Task<ListReceiptsResponse> ListReceiptsAsync(ListReceiptsRequest request) => new() { Elenco = await PassAsync() };
    public async Task<ReconcileRecordsResponse> ReconcileRecordsAsync(ReconcileRecordsRequest request) => new() { Riconciliazione = await PassAsync() };
    public async Task<GetBeneficiaryBenefitsResponse> GetBeneficiaryBenefitsAsync(GetBeneficiaryBenefitsRequest request) => new() { Prestazioni = await PassAsync() };

    /// <summary>A well-formed GetReceipt envelope (the payload is not a signed document: the gated service does not look).</summary>
    public static byte[] GetReceiptEnvelope() => System.Text.Encoding.UTF8.GetBytes(
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><GetReceipt xmlns=\"urn:siuss:assistance-record:v1\">" +
        "<Richiesta>AA==</Richiesta></GetReceipt></s:Body></s:Envelope>");

    /// <summary>The SOAPAction of <see cref="GetReceiptEnvelope"/>.</summary>
    public const string GetReceiptAction = "urn:siuss:assistance-record:v1/GetReceipt";
}
