using System.Xml.Serialization;

namespace Siuss.Contracts.Documents;

/// <summary>The register's signed receipt for a submission.</summary>
[XmlRoot("Ricevuta", Namespace = Namespaces.Documents)]
public sealed class Ricevuta
{
    /// <summary>One of <see cref="Esiti"/>.</summary>
    public string Esito { get; set; } = "";

    /// <summary>The acquisition id (<c>id_acquisizione_siuss</c>); present only when the flow was acquired.</summary>
    public string? IdAcquisizione { get; set; }

    /// <summary>The body the receipt is for.</summary>
    public string CodiceEnte { get; set; } = "";

    /// <summary>The <c>IdMessaggio</c> of the request answered.</summary>
    public string IdMessaggio { get; set; } = "";

    /// <summary>The flow name the request carried.</summary>
    public string NomeFlusso { get; set; } = "";

    /// <summary>The flow type the request carried.</summary>
    public string TipoFlusso { get; set; } = "";

    /// <summary>When the register received the request (UTC).</summary>
    public DateTime DataOraRicezione { get; set; }

    /// <summary>SHA-256 (hex) of the signed request document exactly as received.</summary>
    public string HashRichiesta { get; set; } = "";

    /// <summary>SHA-256 (hex) of the flow bytes as received.</summary>
    public string HashFlusso { get; set; } = "";

    /// <summary>The id that ties this receipt to the register's logs of the request.</summary>
    public string IdCorrelazione { get; set; } = "";

    /// <summary>Counts of the records in the flow.</summary>
    public Riepilogo Riepilogo { get; set; } = new();

    /// <summary>Errors about the flow as a whole (digest, schema, name...).</summary>
    [XmlArray("ErroriFlusso")]
    [XmlArrayItem("Errore")]
    public List<Errore> ErroriFlusso { get; set; } = [];

    /// <summary>One result per benefit record, in flow order.</summary>
    [XmlArray("EsitiRecord")]
    [XmlArrayItem("Record")]
    public List<EsitoRecord> EsitiRecord { get; set; } = [];

    /// <summary>
    /// How the flow arrived when it was not a body-signed SOAP call: the web channel's evidence of who uploaded it and
    /// from which session. Absent for SubmitFlow (the body's signature on the Trasmissione is the evidence there).
    /// </summary>
    public Canale? Canale { get; set; }
}

/// <summary>The channel a flow arrived through, and the evidence that channel keeps in place of a body's signature.</summary>
public sealed class Canale
{
    /// <summary>The web channel (<c>/portale/</c>): an operator of the body uploaded or keyed the flow.</summary>
    public const string Web = "WEB";

    /// <summary>The channel: <see cref="Web"/>.</summary>
    [XmlAttribute] public string Tipo { get; set; } = "";
    /// <summary>The operator's account id (the register keeps who it is; the receipt carries no personal data).</summary>
    [XmlAttribute] public string IdUtente { get; set; } = "";
    /// <summary>The login session the upload was made in.</summary>
    [XmlAttribute] public string IdSessione { get; set; } = "";
}

/// <summary>Record counts of a receipt.</summary>
public sealed class Riepilogo
{
    /// <summary>Records read from the flow.</summary>
    [XmlAttribute] public int Totali { get; set; }
    /// <summary>Records that passed every check.</summary>
    [XmlAttribute] public int Validi { get; set; }
    /// <summary>Records that failed a check.</summary>
    [XmlAttribute] public int Scartati { get; set; }
    /// <summary>Records accepted but received more than 30 days after payment.</summary>
    [XmlAttribute] public int Tardivi { get; set; }
    /// <summary>Records accepted with at least one warning (a policy rule at severity warn). Absent from receipts issued before warnings existed.</summary>
    [XmlAttribute] public int Avvertiti { get; set; }
}

/// <summary>The result of one benefit record.</summary>
public sealed class EsitoRecord
{
    /// <summary>1-based position of the record (PrestazioniSociali) in the flow.</summary>
    [XmlAttribute] public int Progressivo { get; set; }
    /// <summary><c>I</c> or <c>C</c>.</summary>
    [XmlAttribute] public string Operazione { get; set; } = "";
    /// <summary>The record's <c>CodicePrestazione</c>.</summary>
    [XmlAttribute] public string CodicePrestazione { get; set; } = "";
    /// <summary>The record's <c>ProtocolloDomanda</c>.</summary>
    [XmlAttribute] public string ProtocolloDomanda { get; set; } = "";
    /// <summary>One of <see cref="Esiti"/>.</summary>
    [XmlAttribute] public string Esito { get; set; } = "";
    /// <summary>True when the record arrived more than 30 days after payment.</summary>
    [XmlAttribute] public bool Tardivo { get; set; }
    /// <summary>Why the record failed, empty when it passed.</summary>
    [XmlElement("Errore")] public List<Errore> Errori { get; set; } = [];
    /// <summary>
    /// Register-policy rules the record broke at severity warn: the record was still accepted (or refused only for its
    /// <see cref="Errori"/>). Same code catalogue as the errors.
    /// </summary>
    [XmlElement("Avvertenza")] public List<Errore> Avvertenze { get; set; } = [];
}

/// <summary>One error (or warning) with a stable code and a human-readable message.</summary>
public sealed class Errore
{
    /// <summary>A stable code from the rule catalogue.</summary>
    [XmlAttribute] public string Codice { get; set; } = "";
    /// <summary>The field concerned, when there is one.</summary>
    [XmlAttribute] public string? Campo { get; set; }
    /// <summary>What is wrong, in English.</summary>
    [XmlText] public string Messaggio { get; set; } = "";
}
