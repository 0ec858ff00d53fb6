using System.Security.Cryptography.X509Certificates;
using Siuss.Contracts;
using Siuss.Service.Storage;

namespace Siuss.Service.Submission;

/// <summary>
/// Decides whether the signer of a document may speak for the body it names: the certificate must
/// be one pinned for that very body, not revoked, and valid at the document's <c>DataOra</c>.
/// </summary>
public sealed class SenderAuthenticator(AgencyRepository agencies)
{
    /// <summary>Returns the authenticated body, or throws <see cref="RegisterFaultException"/>.</summary>
    public async Task<Agency> AuthenticateAsync(string codiceEnte, X509Certificate2 signer, DateTime dataOraUtc, CancellationToken ct = default)
    {
        // One query for the body and its pin of this certificate: read fresh every time, so a revocation counts at once.
        var (agency, pinned) = await agencies.FindWithCertificateAsync(codiceEnte, AgencyRepository.Thumbprint(signer), ct)
            ?? throw new RegisterFaultException(FaultCodes.AgencyUnknown, $"No paying body '{codiceEnte}' is registered.");

        if (pinned is null || pinned.AgencyCode != agency.Code)
            throw new RegisterFaultException(FaultCodes.CertificateNotRegistered,
                $"The signing certificate is not registered for '{codiceEnte}'.");
        if (pinned.IsRevoked)
            throw new RegisterFaultException(FaultCodes.CertificateRevoked, "The signing certificate was revoked.");
        if (dataOraUtc < AsUtc(pinned.NotBefore) || dataOraUtc > AsUtc(pinned.NotAfter))
            throw new RegisterFaultException(FaultCodes.CertificateExpired, "The signing certificate is not valid at DataOra.");
        return agency;
    }

    // SQLite hands dates back without a kind; they were stored as UTC.
    private static DateTime AsUtc(DateTime value) => value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
