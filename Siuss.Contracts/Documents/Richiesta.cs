using System.Xml.Serialization;

namespace Siuss.Contracts.Documents;

/// <summary>A signed query: the same header fields as a submission plus the query's parameters.</summary>
[XmlRoot("Richiesta", Namespace = Namespaces.Documents)]
public sealed class Richiesta
{
    /// <summary>A fresh UUID per request; never reused.</summary>
    public string IdMessaggio { get; set; } = "";

    /// <summary>When the body signed the request (UTC).</summary>
    public DateTime DataOra { get; set; }

    /// <summary>The asking body's code, as registered.</summary>
    public string CodiceEnte { get; set; } = "";

    /// <summary>The operation this request is for: one of <see cref="Operazioni"/>.</summary>
    public string Operazione { get; set; } = "";

    /// <summary>For GetReceipt: the acquisition id of the receipt wanted.</summary>
    public string? IdAcquisizione { get; set; }

    /// <summary>For GetReceipt: the <c>IdMessaggio</c> of the submission whose receipt is wanted.</summary>
    public string? IdMessaggioTrasmissione { get; set; }

    /// <summary>For GetRecordHistory and GetBeneficiaryBenefits: the person whose records are wanted.</summary>
    public string? CodiceFiscale { get; set; }

    /// <summary>For GetRecordHistory: only records of this benefit code.</summary>
    public string? CodicePrestazione { get; set; }

    /// <summary>For GetRecordHistory: only records of this application protocol.</summary>
    public string? ProtocolloDomanda { get; set; }

    /// <summary>
    /// For ListReceipts and ReconcileRecords: the cursor after which to answer (the WaaS API's <c>since</c>);
    /// 0 or absent for the first page, then the answer's <c>ProssimoCursore</c>.
    /// </summary>
    public long Since { get; set; }
    [XmlIgnore] public bool SinceSpecified { get; set; }

    /// <summary>For ListReceipts and ReconcileRecords: the most entries one answer may carry (the WaaS API's <c>limit</c>).</summary>
    public int Limit { get; set; }
    [XmlIgnore] public bool LimitSpecified { get; set; }

    /// <summary>For ReconcileRecords: the month of <c>DataRiferimento</c> to reconcile, as <c>yyyy-MM</c>.</summary>
    public string? Periodo { get; set; }
}

/// <summary>The operations a <c>Richiesta</c> can be for.</summary>
public static class Operazioni
{
    public const string GetReceipt = "GetReceipt";
    public const string GetRecordHistory = "GetRecordHistory";
    public const string ListReceipts = "ListReceipts";
    public const string ReconcileRecords = "ReconcileRecords";
    public const string GetBeneficiaryBenefits = "GetBeneficiaryBenefits";
}
