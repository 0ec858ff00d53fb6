using System.ServiceModel;

namespace Siuss.Contracts;

/// <summary>The register's cooperative SOAP contract, served at <c>/AssistanceRecord.svc</c>.</summary>
[ServiceContract(Name = "AssistanceRecord", Namespace = Namespaces.Service)]
[XmlSerializerFormat(Style = OperationFormatStyle.Document, Use = OperationFormatUse.Literal)]
public interface IAssistanceRecordService
{
    /// <summary>Submits a flow with its signed <c>Trasmissione</c> header; answers with a signed <c>Ricevuta</c>.</summary>
    [OperationContract(Name = "SubmitFlow", Action = Namespaces.Service + "/SubmitFlow", ReplyAction = Namespaces.Service + "/SubmitFlowResponse")]
    Task<SubmitFlowResponse> SubmitFlowAsync(SubmitFlowRequest request);

    /// <summary>Returns a receipt already issued to the signer of the <c>Richiesta</c>.</summary>
    [OperationContract(Name = "GetReceipt", Action = Namespaces.Service + "/GetReceipt", ReplyAction = Namespaces.Service + "/GetReceiptResponse")]
    Task<GetReceiptResponse> GetReceiptAsync(GetReceiptRequest request);

    /// <summary>Returns the history of one person's records sent by the signer's body, as a signed <c>StoricoPrestazioni</c>.</summary>
    [OperationContract(Name = "GetRecordHistory", Action = Namespaces.Service + "/GetRecordHistory", ReplyAction = Namespaces.Service + "/GetRecordHistoryResponse")]
    Task<GetRecordHistoryResponse> GetRecordHistoryAsync(GetRecordHistoryRequest request);

    /// <summary>Returns one page of the signer's receipts after a cursor, as a signed <c>ElencoRicevute</c>.</summary>
    [OperationContract(Name = "ListReceipts", Action = Namespaces.Service + "/ListReceipts", ReplyAction = Namespaces.Service + "/ListReceiptsResponse")]
    Task<ListReceiptsResponse> ListReceiptsAsync(ListReceiptsRequest request);

    /// <summary>Returns the period digest and one page of the signer's records of a month, as a signed <c>Riconciliazione</c>.</summary>
    [OperationContract(Name = "ReconcileRecords", Action = Namespaces.Service + "/ReconcileRecords", ReplyAction = Namespaces.Service + "/ReconcileRecordsResponse")]
    Task<ReconcileRecordsResponse> ReconcileRecordsAsync(ReconcileRecordsRequest request);

    /// <summary>For consulting bodies only: one person's benefits across all bodies, as a signed <c>PrestazioniBeneficiario</c>; every call is audited.</summary>
    [OperationContract(Name = "GetBeneficiaryBenefits", Action = Namespaces.Service + "/GetBeneficiaryBenefits", ReplyAction = Namespaces.Service + "/GetBeneficiaryBenefitsResponse")]
    Task<GetBeneficiaryBenefitsResponse> GetBeneficiaryBenefitsAsync(GetBeneficiaryBenefitsRequest request);
}

/// <summary>The SubmitFlow request: the exact signed header bytes and the exact flow file bytes.</summary>
[MessageContract(WrapperName = "SubmitFlow", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class SubmitFlowRequest
{
    /// <summary>The signed <c>Trasmissione</c> document, byte for byte as signed.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Trasmissione { get; set; }

    /// <summary>The flow file in the official INPS format, byte for byte as exported.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 1)]
    public byte[]? Flusso { get; set; }
}

/// <summary>The SubmitFlow answer: the register's signed receipt.</summary>
[MessageContract(WrapperName = "SubmitFlowResponse", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class SubmitFlowResponse
{
    /// <summary>The signed <c>Ricevuta</c> document, byte for byte as signed.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Ricevuta { get; set; }
}

/// <summary>The GetReceipt request: a signed <c>Richiesta</c> naming the receipt wanted.</summary>
[MessageContract(WrapperName = "GetReceipt", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class GetReceiptRequest
{
    /// <summary>The signed <c>Richiesta</c> document.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Richiesta { get; set; }
}

/// <summary>The GetReceipt answer: the receipt as it was signed when issued.</summary>
[MessageContract(WrapperName = "GetReceiptResponse", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class GetReceiptResponse
{
    /// <summary>The signed <c>Ricevuta</c> document.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Ricevuta { get; set; }
}

/// <summary>The GetRecordHistory request: a signed <c>Richiesta</c> (Operazione GetRecordHistory) naming the person.</summary>
[MessageContract(WrapperName = "GetRecordHistory", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class GetRecordHistoryRequest
{
    /// <summary>The signed <c>Richiesta</c> document.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Richiesta { get; set; }
}

/// <summary>The GetRecordHistory answer: the register's signed <c>StoricoPrestazioni</c>.</summary>
[MessageContract(WrapperName = "GetRecordHistoryResponse", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class GetRecordHistoryResponse
{
    /// <summary>The signed <c>StoricoPrestazioni</c> document.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Storico { get; set; }
}

/// <summary>The ListReceipts request: a signed <c>Richiesta</c> (Operazione ListReceipts) with <c>Since</c> and <c>Limit</c>.</summary>
[MessageContract(WrapperName = "ListReceipts", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class ListReceiptsRequest
{
    /// <summary>The signed <c>Richiesta</c> document.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Richiesta { get; set; }
}

/// <summary>The ListReceipts answer: the register's signed <c>ElencoRicevute</c>.</summary>
[MessageContract(WrapperName = "ListReceiptsResponse", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class ListReceiptsResponse
{
    /// <summary>The signed <c>ElencoRicevute</c> document.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Elenco { get; set; }
}

/// <summary>The ReconcileRecords request: a signed <c>Richiesta</c> (Operazione ReconcileRecords) with <c>Periodo</c>, <c>Since</c> and <c>Limit</c>.</summary>
[MessageContract(WrapperName = "ReconcileRecords", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class ReconcileRecordsRequest
{
    /// <summary>The signed <c>Richiesta</c> document.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Richiesta { get; set; }
}

/// <summary>The ReconcileRecords answer: the register's signed <c>Riconciliazione</c>.</summary>
[MessageContract(WrapperName = "ReconcileRecordsResponse", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class ReconcileRecordsResponse
{
    /// <summary>The signed <c>Riconciliazione</c> document.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Riconciliazione { get; set; }
}

/// <summary>The GetBeneficiaryBenefits request: a signed <c>Richiesta</c> (Operazione GetBeneficiaryBenefits) naming one person.</summary>
[MessageContract(WrapperName = "GetBeneficiaryBenefits", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class GetBeneficiaryBenefitsRequest
{
    /// <summary>The signed <c>Richiesta</c> document.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Richiesta { get; set; }
}

/// <summary>The GetBeneficiaryBenefits answer: the register's signed <c>PrestazioniBeneficiario</c>.</summary>
[MessageContract(WrapperName = "GetBeneficiaryBenefitsResponse", WrapperNamespace = Namespaces.Service, IsWrapped = true)]
public sealed class GetBeneficiaryBenefitsResponse
{
    /// <summary>The signed <c>PrestazioniBeneficiario</c> document.</summary>
    [MessageBodyMember(Namespace = Namespaces.Service, Order = 0)]
    public byte[]? Prestazioni { get; set; }
}
