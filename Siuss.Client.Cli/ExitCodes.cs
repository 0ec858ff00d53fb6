using Siuss.Contracts;

namespace Siuss.Client.Cli;

/// <summary>The exit codes of <c>siuss-client</c>, stable for scripts.</summary>
public static class ExitCodes
{
    /// <summary>The flow was acquired, the receipt was found, or the receipt verifies.</summary>
    public const int Ok = 0;

    /// <summary>The receipt carries a refusal (RICHIESTA_INVALIDA, DATI_NON_TROVATI, ERRORE_GENERICO), or a receipt does not verify.</summary>
    public const int Refused = 1;

    /// <summary><c>reconcile</c>: the register and the local export differ for at least one period.</summary>
    public const int Differences = 1;

    /// <summary>The register answered with a SOAP fault (the request was refused before authentication).</summary>
    public const int SoapFault = 2;

    /// <summary>Wrong or missing options, or an input file that cannot be used.</summary>
    public const int Usage = 3;

    /// <summary>The register could not be reached, or its answer could not be verified as the register's.</summary>
    public const int Unavailable = 4;

    /// <summary>The exit code for a receipt outcome: 0 for OK, 1 for anything else.</summary>
    public static int ForEsito(string esito) => esito == Esiti.Ok ? Ok : Refused;
}
