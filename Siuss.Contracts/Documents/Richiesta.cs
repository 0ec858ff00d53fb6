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

    /// <summary>The operation this request is for: <c>GetReceipt</c> or <c>GetRecordHistory</c>.</summary>
    public string Operazione { get; set; } = "";

    /// <summary>For GetReceipt: the acquisition id of the receipt wanted.</summary>
    public string? IdAcquisizione { get; set; }

    /// <summary>For GetReceipt: the <c>IdMessaggio</c> of the submission whose receipt is wanted.</summary>
    public string? IdMessaggioTrasmissione { get; set; }

    /// <summary>For GetRecordHistory: the person whose records are wanted.</summary>
    public string? CodiceFiscale { get; set; }

    /// <summary>For GetRecordHistory: only records of this benefit code.</summary>
    public string? CodicePrestazione { get; set; }

    /// <summary>For GetRecordHistory: only records of this application protocol.</summary>
    public string? ProtocolloDomanda { get; set; }
}
