using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Siuss.Client.Cli;

/// <summary>Finds the certificate the register signs receipts with: a pinned file, or the one it publishes.</summary>
public static class RegisterCertificate
{
    /// <summary>Loads <paramref name="file"/> (PEM or DER) when given; otherwise downloads <c>receipt-certificate.pem</c> next to the endpoint.</summary>
    public static async Task<X509Certificate2> LoadAsync(FileInfo? file, Uri endpoint)
    {
        if (file is not null) return FromFile(file);
        var address = new Uri(endpoint, "receipt-certificate.pem");
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var pem = await http.GetStringAsync(address);
        var certificate = X509Certificate2.CreateFromPem(pem);
        Console.WriteLine($"Register certificate downloaded from {address} (SHA-256 {Thumbprint(certificate)}); pin it with --register-cert.");
        return certificate;
    }

    /// <summary>Loads a certificate file, PEM or DER; a usage error if it is missing or unreadable.</summary>
    public static X509Certificate2 FromFile(FileInfo file)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(SignerOptions.Existing(file).FullName);
        }
        catch (CryptographicException e)
        {
            throw new UsageException($"'{file.FullName}' is not a certificate: {e.Message}");
        }
    }

    /// <summary>The SHA-256 thumbprint in lowercase hex, as the register's operators see it.</summary>
    public static string Thumbprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
}
