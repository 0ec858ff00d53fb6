using System.Security.Cryptography.X509Certificates;

namespace Siuss.Client.Submission;

/// <summary>Everything a folder submission needs: where to send, who signs, whom to trust for receipts, and how hard to try.</summary>
public sealed record FolderSubmissionOptions
{
    /// <summary>The register's SOAP endpoint.</summary>
    public required Uri Endpoint { get; init; }
    /// <summary>The body's code (CodiceEnte) signed in every Trasmissione and Richiesta.</summary>
    public required string CodiceEnte { get; init; }
    /// <summary>The body's signing certificate with its private key.</summary>
    public required X509Certificate2 Signer { get; init; }
    /// <summary>The register's receipt certificate: only receipts it signed count as acknowledgements.</summary>
    public required X509Certificate2 RegisterCertificate { get; init; }
    /// <summary>The flow type to sign; null: read from each file's first record (SINBA or Beneficiario), PS_PSA_SINA if unclear.</summary>
    public string? TipoFlusso { get; init; }
    /// <summary>Files worked on at once.</summary>
    public int Parallelism { get; init; } = 2;
    /// <summary>Retries of a transient failure (unreachable, ServerBusy, RateLimited, ERRORE_GENERICO) per call.</summary>
    public int MaxRetries { get; init; } = 4;
    /// <summary>The first backoff wait; it doubles (with jitter) on each retry.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>The SOAP call timeout.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
