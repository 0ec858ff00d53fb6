using Siuss.Client.Submission;
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

    /// <summary>
    /// The exit code of a folder submission: 0 when every file is acquired; otherwise the most pressing problem, in this
    /// order: 2 a SOAP fault (setup: certificate, registration), 3 a file that cannot be read as a flow, 4 the register
    /// unreachable or a receipt not verifiable (run again later: nothing acknowledged is sent twice), 1 a flow refused.
    /// </summary>
    public static int ForFolder(IEnumerable<FileOutcome> outcomes)
    {
        var list = outcomes.ToList();
        if (list.Any(o => o.Failure == FailureKind.Fault)) return SoapFault;
        if (list.Any(o => o.Failure == FailureKind.UnusableFile)) return Usage;
        if (list.Any(o => o.Failure is FailureKind.Unreachable or FailureKind.NotVerifiable)) return Unavailable;
        if (list.Any(o => o.Status is FileStatus.Refused or FileStatus.RefusedEarlier)) return Refused;
        return Ok;
    }
}
