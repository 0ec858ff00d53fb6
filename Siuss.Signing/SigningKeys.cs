using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Siuss.Signing;

/// <summary>The private key of a signing certificate with the signature method the register's profile uses for it.</summary>
internal static class SigningKeys
{
    /// <summary>ECDSA keys sign with ECDSA-SHA256 (P-256) or -SHA384 (larger curves), RSA keys with RSA-SHA256; the caller disposes the key.</summary>
    public static (AsymmetricAlgorithm Key, string SignatureMethod, HashAlgorithmName Hash) For(X509Certificate2 certificate)
    {
        if (certificate.GetECDsaPrivateKey() is { } ecdsa)
            return ecdsa.KeySize > 256
                ? (ecdsa, SignatureAlgorithms.EcdsaSha384, HashAlgorithmName.SHA384)
                : (ecdsa, SignatureAlgorithms.EcdsaSha256, HashAlgorithmName.SHA256);
        if (certificate.GetRSAPrivateKey() is { } rsa)
            return (rsa, SignatureAlgorithms.RsaSha256, HashAlgorithmName.SHA256);
        throw new CryptographicException("The certificate has no RSA or ECDSA private key.");
    }
}
