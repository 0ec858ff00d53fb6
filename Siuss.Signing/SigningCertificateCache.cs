using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Siuss.Signing;

/// <summary>A certificate taken from a KeyInfo, with its public key already extracted (shared: never dispose them).</summary>
internal sealed record SigningCertificate(X509Certificate2 Certificate, RSA? Rsa, ECDsa? Ecdsa);

/// <summary>
/// Parsed <c>X509Certificate</c> values, keyed by their base64 text. The same few bodies sign every
/// request, and parsing a certificate and importing its key cost more than the rest of a signature
/// check. Only what parsed is kept; the cache is bounded (it is emptied when full), so a sender cycling
/// through certificates gains nothing but its own parse time. Nothing here decides trust: the pinned
/// certificates in the database do.
/// </summary>
internal static class SigningCertificateCache
{
    private const int MaxEntries = 256;
    private static readonly ConcurrentDictionary<string, SigningCertificate> Entries = new(StringComparer.Ordinal);

    /// <summary>The certificate the base64 text encodes; throws <see cref="FormatException"/> or <see cref="CryptographicException"/> when it is not one.</summary>
    public static SigningCertificate Get(string base64)
    {
        if (Entries.TryGetValue(base64, out var cached)) return cached;
        var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64));
        var parsed = new SigningCertificate(certificate, certificate.GetRSAPublicKey(), certificate.GetECDsaPublicKey());
        if (Entries.Count >= MaxEntries) Entries.Clear();
        return Entries.GetOrAdd(base64, parsed);
    }
}
