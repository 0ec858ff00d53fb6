using System.Xml.Serialization;

namespace Siuss.Contracts.Documents;

/// <summary>The register's signed answer to ListReceipts: one page of the asking body's receipts, in cursor order.</summary>
[XmlRoot("ElencoRicevute", Namespace = Namespaces.Documents)]
public sealed class ElencoRicevute
{
    /// <summary>The body that asked (only its own receipts are listed).</summary>
    public string CodiceEnte { get; set; } = "";

    /// <summary>The <c>IdMessaggio</c> of the request answered.</summary>
    public string IdMessaggio { get; set; } = "";

    /// <summary>When the register answered (UTC).</summary>
    public DateTime DataOra { get; set; }

    /// <summary>The id that ties this answer to the register's logs.</summary>
    public string IdCorrelazione { get; set; } = "";

    /// <summary>The cursor the request asked to read after.</summary>
    public long Since { get; set; }

    /// <summary>The cursor to send as <c>Since</c> for the next page: the last entry's, or <see cref="Since"/> when the page is empty.</summary>
    public long ProssimoCursore { get; set; }

    /// <summary>True when more receipts follow <see cref="ProssimoCursore"/> already.</summary>
    public bool AltreRicevute { get; set; }

    /// <summary>The receipts after <see cref="Since"/>, ascending by cursor.</summary>
    [XmlArray("Ricevute")]
    [XmlArrayItem("Voce")]
    public List<VoceRicevuta> Ricevute { get; set; } = [];
}

/// <summary>One receipt in a ListReceipts page: a summary to filter on, and the receipt itself byte for byte as signed.</summary>
public sealed class VoceRicevuta
{
    /// <summary>The signed <c>Ricevuta</c> exactly as issued (it keeps its own signature).</summary>
    [XmlElement("Ricevuta", DataType = "base64Binary")]
    public byte[] RicevutaFirmata { get; set; } = [];

    /// <summary>This receipt's position in the body's list: strictly increasing in the order receipts became visible.</summary>
    [XmlAttribute] public long Cursore { get; set; }
    [XmlAttribute] public string IdMessaggio { get; set; } = "";
    /// <summary>Present when the flow was acquired.</summary>
    [XmlAttribute] public string? IdAcquisizione { get; set; }
    [XmlAttribute] public string NomeFlusso { get; set; } = "";
    [XmlAttribute] public string TipoFlusso { get; set; } = "";
    [XmlAttribute] public string Esito { get; set; } = "";
    [XmlAttribute] public DateTime DataOraRicezione { get; set; }
}
