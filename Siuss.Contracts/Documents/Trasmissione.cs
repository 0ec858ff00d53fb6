using System.Xml.Serialization;

namespace Siuss.Contracts.Documents;

/// <summary>The signed submission header that names a flow and binds it by digest and size.</summary>
[XmlRoot("Trasmissione", Namespace = Namespaces.Documents)]
public sealed class Trasmissione
{
    /// <summary>A fresh UUID per message; resending the same message returns the same receipt.</summary>
    public string IdMessaggio { get; set; } = "";

    /// <summary>When the body signed the message (UTC).</summary>
    public DateTime DataOra { get; set; }

    /// <summary>The paying body's code, as registered.</summary>
    public string CodiceEnte { get; set; } = "";

    /// <summary><c>PS_PSA_SINA</c> or <c>SINBA</c>.</summary>
    public string TipoFlusso { get; set; } = "";

    /// <summary>The flow name, equal to the flow's <c>IdentificazioneFlusso/@Nome</c>.</summary>
    public string NomeFlusso { get; set; } = "";

    /// <summary>SHA-256 of the flow bytes, lowercase hexadecimal.</summary>
    public string HashFlusso { get; set; } = "";

    /// <summary>The flow's size in bytes.</summary>
    public long DimensioneFlusso { get; set; }
}

/// <summary>The kinds of flow a <see cref="Trasmissione"/> can carry.</summary>
public static class TipiFlusso
{
    /// <summary>Social benefits (PS and PSA) with optional SINA assessments.</summary>
    public const string PsPsaSina = "PS_PSA_SINA";
    /// <summary>Anonymous assessments of children and families.</summary>
    public const string Sinba = "SINBA";
}
