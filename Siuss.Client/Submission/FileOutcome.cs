using Siuss.Contracts.Documents;

namespace Siuss.Client.Submission;

/// <summary>Where one flow file stands after a run.</summary>
public enum FileStatus
{
    /// <summary>Sent in this run and acquired (Esito OK).</summary>
    Sent,
    /// <summary>A verified receipt with Esito OK was already saved: nothing was sent.</summary>
    AlreadyAcknowledged,
    /// <summary>Signed and possibly sent by an interrupted run; the register had it, so its receipt was fetched instead of resending.</summary>
    Recovered,
    /// <summary>The register answered with a refusal (Esito other than OK) in this run or a recovered receipt; the file needs fixing.</summary>
    Refused,
    /// <summary>A refusal saved by an earlier run for this same content: not sent again, since the same bytes would be refused again.</summary>
    RefusedEarlier,
    /// <summary>No receipt: see <see cref="FileOutcome.Failure"/>.</summary>
    Failed,
}

/// <summary>Why a file has no receipt.</summary>
public enum FailureKind
{
    /// <summary>Not a failure.</summary>
    None,
    /// <summary>The file cannot be read as a flow (not XML, a DTD, no name).</summary>
    UnusableFile,
    /// <summary>The register refused the request with a SOAP fault that retrying will not change (e.g. a certificate not registered).</summary>
    Fault,
    /// <summary>The register could not be reached, or stayed busy, after the retries; run again later.</summary>
    Unreachable,
    /// <summary>The answer was not a receipt verifiably signed by the register for this message.</summary>
    NotVerifiable,
}

/// <summary>The result for one flow file: its status, and the receipt's facts when there is one.</summary>
public sealed record FileOutcome(string File, FileStatus Status)
{
    /// <summary>The flow name, when the file could be read.</summary>
    public string? NomeFlusso { get; init; }
    /// <summary>The verified receipt, when there is one.</summary>
    public Ricevuta? Ricevuta { get; init; }
    /// <summary>Why there is no receipt.</summary>
    public FailureKind Failure { get; init; }
    /// <summary>A short message for a failure (a fault code and message, an I/O error); never personal data.</summary>
    public string? Message { get; init; }
    /// <summary>Where the receipt was saved.</summary>
    public string? ReceiptPath { get; init; }

    /// <summary>True when the register holds the flow as acquired.</summary>
    public bool IsAcquired => Status is FileStatus.Sent or FileStatus.AlreadyAcknowledged or FileStatus.Recovered;
}
