namespace Siuss.Contracts;

/// <summary>XML namespaces of the public SIUSS contract.</summary>
public static class Namespaces
{
    /// <summary>The SOAP service contract (operations and their wrapper elements).</summary>
    public const string Service = "urn:siuss:assistance-record:v1";

    /// <summary>The signed documents: Trasmissione, Richiesta, Ricevuta.</summary>
    public const string Documents = "urn:siuss:documents:v1";

    /// <summary>The namespace of SOAP fault codes raised by the register.</summary>
    public const string Faults = "urn:siuss:faults:v1";

    /// <summary>The namespace of the official INPS flow formats.</summary>
    public const string Casellario = "http://inps.it/Casellario";
}
