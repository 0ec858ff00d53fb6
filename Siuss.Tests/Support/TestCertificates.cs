using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Siuss.Tests.Support;

/// <summary>Real certificates made in the test, the way a paying body's PKI would issue them.</summary>
public static class TestCertificates
{
    /// <summary>A self-signed RSA-2048 signing certificate with its private key.</summary>
    public static X509Certificate2 Rsa(string subject = "CN=Comune di Roma, O=H501", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, int keySize = 2048)
    {
        using var key = RSA.Create(keySize);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Create(request, notBefore, notAfter);
    }

    /// <summary>A self-signed ECDSA P-256 signing certificate with its private key.</summary>
    public static X509Certificate2 Ecdsa(string subject = "CN=Comune di Milano, O=F205", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return Create(request, notBefore, notAfter);
    }

    /// <summary>Writes the public certificate as PEM and returns the path.</summary>
    public static string WritePem(X509Certificate2 certificate, string directory, string name = "body.pem")
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static X509Certificate2 Create(CertificateRequest request, DateTimeOffset? notBefore, DateTimeOffset? notAfter)
    {
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(notBefore ?? now.AddDays(-30), notAfter ?? now.AddYears(2));
        // Re-import so the key is usable for signing on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }
}
