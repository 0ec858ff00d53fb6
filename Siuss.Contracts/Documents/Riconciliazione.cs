using System.Xml.Serialization;

namespace Siuss.Contracts.Documents;

/// <summary>
/// The register's signed answer to ReconcileRecords: for one month of <c>DataRiferimento</c>, the period
/// digest of the asking body's active records and one page of its active and cancelled records with the
/// digest of each one's content (see <see cref="Reconciliation.RecordDigest"/>).
/// </summary>
[XmlRoot("Riconciliazione", Namespace = Namespaces.Documents)]
public sealed class Riconciliazione
{
    /// <summary>The body that asked (only its own records are listed).</summary>
    public string CodiceEnte { get; set; } = "";

    /// <summary>The <c>IdMessaggio</c> of the request answered.</summary>
    public string IdMessaggio { get; set; } = "";

    /// <summary>When the register answered (UTC).</summary>
    public DateTime DataOra { get; set; }

    /// <summary>The id that ties this answer to the register's logs.</summary>
    public string IdCorrelazione { get; set; } = "";

    /// <summary>The month reconciled, <c>yyyy-MM</c>.</summary>
    public string Periodo { get; set; } = "";

    /// <summary>The digest of every active record of the period (<see cref="Reconciliation.PeriodDigest"/>): equal to the body's own means nothing to fetch.</summary>
    public string DigestPeriodo { get; set; } = "";

    /// <summary>How many of the body's records of the period are active.</summary>
    public int RecordAttivi { get; set; }

    /// <summary>How many of the body's records of the period were cancelled.</summary>
    public int RecordAnnullati { get; set; }

    /// <summary>The cursor the request asked to read after.</summary>
    public long Since { get; set; }

    /// <summary>The cursor to send as <c>Since</c> for the next page.</summary>
    public long ProssimoCursore { get; set; }

    /// <summary>True when more records of the period follow <see cref="ProssimoCursore"/>.</summary>
    public bool AltriRecord { get; set; }

    /// <summary>The records after <see cref="Since"/>, ascending by cursor (empty when the request's <c>Limit</c> was 0).</summary>
    [XmlArray("Records")]
    [XmlArrayItem("Record")]
    public List<VoceRiconciliazione> Records { get; set; } = [];
}

/// <summary>One record of a reconciliation page: its natural key, its state and the digest of its content.</summary>
public sealed class VoceRiconciliazione
{
    [XmlAttribute] public long Cursore { get; set; }
    [XmlAttribute] public string CodiceFiscale { get; set; } = "";
    [XmlAttribute] public string CodicePrestazione { get; set; } = "";
    [XmlAttribute] public string ProtocolloDomanda { get; set; } = "";
    [XmlAttribute(DataType = "date")] public DateTime DataRiferimento { get; set; }
    /// <summary><c>ATTIVA</c> or <c>ANNULLATA</c>.</summary>
    [XmlAttribute] public string Stato { get; set; } = "";
    /// <summary>Lowercase hex SHA-256 of the record's canonical content (<see cref="Reconciliation.RecordDigest"/>).</summary>
    [XmlAttribute] public string Digest { get; set; } = "";
    /// <summary>The acquisition of the flow that inserted the record.</summary>
    [XmlAttribute] public string IdAcquisizione { get; set; } = "";
    [XmlAttribute] public string NomeFlusso { get; set; } = "";
}
