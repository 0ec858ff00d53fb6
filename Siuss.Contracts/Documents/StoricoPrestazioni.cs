using System.Xml.Serialization;

namespace Siuss.Contracts.Documents;

/// <summary>The register's signed answer to GetRecordHistory: one person's records as the asking body sent them, with their history.</summary>
[XmlRoot("StoricoPrestazioni", Namespace = Namespaces.Documents)]
public sealed class StoricoPrestazioni
{
    /// <summary>The body that asked (only its own records are listed).</summary>
    public string CodiceEnte { get; set; } = "";

    /// <summary>The <c>IdMessaggio</c> of the request answered.</summary>
    public string IdMessaggio { get; set; } = "";

    /// <summary>When the register answered (UTC).</summary>
    public DateTime DataOra { get; set; }

    /// <summary>The person.</summary>
    public string CodiceFiscale { get; set; } = "";

    /// <summary>The id that ties this answer to the register's logs.</summary>
    public string IdCorrelazione { get; set; } = "";

    /// <summary>Every record, active or cancelled, in the order the register received them.</summary>
    [XmlArray("Prestazioni")]
    [XmlArrayItem("Prestazione")]
    public List<VocePrestazione> Prestazioni { get; set; } = [];
}

/// <summary>One record and where it came from.</summary>
public sealed class VocePrestazione
{
    /// <summary>The flow that inserted the record.</summary>
    public RiferimentoFlusso InseritaDa { get; set; } = new();

    /// <summary>The flow that cancelled it, when it was cancelled.</summary>
    public RiferimentoFlusso? AnnullataDa { get; set; }

    [XmlAttribute] public string CodicePrestazione { get; set; } = "";
    [XmlAttribute] public string ProtocolloDomanda { get; set; } = "";
    /// <summary>Start (periodic) or payment (one-off) date: the date of the natural key.</summary>
    [XmlAttribute(DataType = "date")] public DateTime DataRiferimento { get; set; }
    /// <summary><c>ATTIVA</c> or <c>ANNULLATA</c>.</summary>
    [XmlAttribute] public string Stato { get; set; } = "";
    [XmlAttribute] public decimal ImportoPrestazione { get; set; }
    [XmlIgnore] public bool ImportoPrestazioneSpecified { get; set; }
    [XmlAttribute] public decimal ImportoMensile { get; set; }
    [XmlIgnore] public bool ImportoMensileSpecified { get; set; }
    /// <summary>True when it reached the register more than 30 days after payment.</summary>
    [XmlAttribute] public bool Tardiva { get; set; }
}

/// <summary>A flow of the register, as referenced from a record's history.</summary>
public sealed class RiferimentoFlusso
{
    [XmlAttribute] public string NomeFlusso { get; set; } = "";
    [XmlAttribute] public string IdAcquisizione { get; set; } = "";
    [XmlAttribute] public DateTime DataOra { get; set; }
}
