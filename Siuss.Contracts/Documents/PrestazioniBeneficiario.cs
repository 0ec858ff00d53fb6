using System.Xml.Serialization;

namespace Siuss.Contracts.Documents;

/// <summary>The register's signed answer to GetBeneficiaryBenefits: one person's benefits across every paying body (never SINBA).</summary>
[XmlRoot("PrestazioniBeneficiario", Namespace = Namespaces.Documents)]
public sealed class PrestazioniBeneficiario
{
    /// <summary>The consulting body that asked.</summary>
    public string CodiceEnte { get; set; } = "";

    /// <summary>The <c>IdMessaggio</c> of the request answered.</summary>
    public string IdMessaggio { get; set; } = "";

    /// <summary>When the register answered (UTC).</summary>
    public DateTime DataOra { get; set; }

    /// <summary>The person.</summary>
    public string CodiceFiscale { get; set; } = "";

    /// <summary>The id that ties this answer to the register's logs and to the consultation's audit row.</summary>
    public string IdCorrelazione { get; set; } = "";

    /// <summary>Every record of the person, active and cancelled, by paying body then date.</summary>
    [XmlArray("Prestazioni")]
    [XmlArrayItem("Prestazione")]
    public List<PrestazioneErogata> Prestazioni { get; set; } = [];
}

/// <summary>One benefit paid to the person, with the body that paid it.</summary>
public sealed class PrestazioneErogata
{
    /// <summary>The paying body.</summary>
    [XmlAttribute] public string CodiceEnte { get; set; } = "";
    [XmlAttribute] public string DenominazioneEnte { get; set; } = "";
    [XmlAttribute] public string CodicePrestazione { get; set; } = "";
    [XmlAttribute] public string DenominazionePrestazione { get; set; } = "";
    [XmlAttribute] public string ProtocolloDomanda { get; set; } = "";
    [XmlAttribute(DataType = "date")] public DateTime DataRiferimento { get; set; }
    /// <summary><c>ATTIVA</c> or <c>ANNULLATA</c>.</summary>
    [XmlAttribute] public string Stato { get; set; } = "";
    [XmlAttribute(DataType = "date")] public DateTime DataInizioPrestazione { get; set; }
    [XmlIgnore] public bool DataInizioPrestazioneSpecified { get; set; }
    [XmlAttribute(DataType = "date")] public DateTime DataFinePrestazione { get; set; }
    [XmlIgnore] public bool DataFinePrestazioneSpecified { get; set; }
    [XmlAttribute(DataType = "date")] public DateTime DataErogazionePrestazione { get; set; }
    [XmlIgnore] public bool DataErogazionePrestazioneSpecified { get; set; }
    [XmlAttribute] public decimal ImportoPrestazione { get; set; }
    [XmlIgnore] public bool ImportoPrestazioneSpecified { get; set; }
    [XmlAttribute] public decimal ImportoMensile { get; set; }
    [XmlIgnore] public bool ImportoMensileSpecified { get; set; }
    [XmlAttribute] public int PeriodoErogazione { get; set; }
    [XmlIgnore] public bool PeriodoErogazioneSpecified { get; set; }
}
