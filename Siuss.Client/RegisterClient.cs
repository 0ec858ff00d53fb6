using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Xml;
using Siuss.Contracts;

namespace Siuss.Client;

/// <summary>A WCF client of the register's SOAP endpoint (SOAP 1.1, XmlSerializer), sized for large flows.</summary>
public sealed class RegisterClient : IAsyncDisposable
{
    private readonly ChannelFactory<IAssistanceRecordService> _factory;

    /// <summary>The channel: call <c>SubmitFlowAsync</c> / <c>GetReceiptAsync</c> on it.</summary>
    public IAssistanceRecordService Channel { get; }

    /// <summary>Connects to <paramref name="endpoint"/>, e.g. <c>http://127.0.0.1:5080/AssistanceRecord.svc</c>.</summary>
    public RegisterClient(Uri endpoint, TimeSpan? timeout = null)
    {
        _factory = new ChannelFactory<IAssistanceRecordService>(CreateBinding(timeout ?? TimeSpan.FromMinutes(5)), new EndpointAddress(endpoint));
        Channel = _factory.CreateChannel();
    }

    /// <summary>The binding a client of the register needs: SOAP 1.1 over HTTP with room for large flows.</summary>
    public static Binding CreateBinding(TimeSpan timeout)
    {
        var binding = new BasicHttpBinding(BasicHttpSecurityMode.None);
        binding.MaxReceivedMessageSize = int.MaxValue;
        binding.MaxBufferSize = int.MaxValue;
        binding.ReaderQuotas = XmlDictionaryReaderQuotas.Max;
        binding.SendTimeout = timeout;
        binding.ReceiveTimeout = timeout;
        return binding;
    }

    /// <summary>Submits a flow with its signed Trasmissione and returns the raw signed receipt.</summary>
    public async Task<byte[]> SubmitAsync(byte[] trasmissione, byte[] flow)
    {
        var response = await Channel.SubmitFlowAsync(new SubmitFlowRequest { Trasmissione = trasmissione, Flusso = flow });
        return response.Ricevuta ?? throw new InvalidOperationException("The register answered without a receipt.");
    }

    /// <summary>Asks for a stored receipt with a signed Richiesta and returns the raw signed receipt.</summary>
    public async Task<byte[]> GetReceiptAsync(byte[] richiesta)
    {
        var response = await Channel.GetReceiptAsync(new GetReceiptRequest { Richiesta = richiesta });
        return response.Ricevuta ?? throw new InvalidOperationException("The register answered without a receipt.");
    }

    /// <summary>Asks for one person's record history with a signed Richiesta and returns the raw signed StoricoPrestazioni.</summary>
    public async Task<byte[]> GetRecordHistoryAsync(byte[] richiesta)
    {
        var response = await Channel.GetRecordHistoryAsync(new GetRecordHistoryRequest { Richiesta = richiesta });
        return response.Storico ?? throw new InvalidOperationException("The register answered without a document.");
    }

    /// <summary>Asks (as a consulting body) for one person's benefits across bodies with a signed Richiesta; returns the raw signed PrestazioniBeneficiario.</summary>
    public async Task<byte[]> GetBeneficiaryBenefitsAsync(byte[] richiesta)
    {
        var response = await Channel.GetBeneficiaryBenefitsAsync(new GetBeneficiaryBenefitsRequest { Richiesta = richiesta });
        return response.Prestazioni ?? throw new InvalidOperationException("The register answered without a document.");
    }

    /// <summary>Asks for a page of the body's receipts with a signed ListReceipts Richiesta and returns the raw signed ElencoRicevute.</summary>
    public async Task<byte[]> ListReceiptsAsync(byte[] richiesta)
    {
        var response = await Channel.ListReceiptsAsync(new ListReceiptsRequest { Richiesta = richiesta });
        return response.Elenco ?? throw new InvalidOperationException("The register answered without a document.");
    }

    /// <summary>Asks for a period's digest and a page of records with a signed ReconcileRecords Richiesta and returns the raw signed Riconciliazione.</summary>
    public async Task<byte[]> ReconcileRecordsAsync(byte[] richiesta)
    {
        var response = await Channel.ReconcileRecordsAsync(new ReconcileRecordsRequest { Richiesta = richiesta });
        return response.Riconciliazione ?? throw new InvalidOperationException("The register answered without a document.");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Channel is ICommunicationObject channel)
        {
            try { await Task.Factory.FromAsync(channel.BeginClose, channel.EndClose, null); }
            catch (CommunicationException) { channel.Abort(); }
            catch (TimeoutException) { channel.Abort(); }
        }
        try { _factory.Close(); }
        catch (CommunicationException) { _factory.Abort(); }
    }
}
