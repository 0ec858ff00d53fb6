using System.Security.Cryptography;
using System.Security.Cryptography.Xml;

namespace Siuss.Signing;

/// <summary>The algorithm URIs of the signature profile, and the ECDSA support SignedXml lacks.</summary>
public static class SignatureAlgorithms
{
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string RsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    public const string RsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
    public const string EcdsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    public const string EcdsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";

    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string Sha384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    public const string Sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";

    public const string ExclusiveC14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string Enveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    /// <summary>Signature methods the profile accepts.</summary>
    public static readonly IReadOnlySet<string> AcceptedSignatureMethods =
        new HashSet<string>(StringComparer.Ordinal) { RsaSha256, RsaSha384, RsaSha512, EcdsaSha256, EcdsaSha384 };

    /// <summary>Digest methods the profile accepts.</summary>
    public static readonly IReadOnlySet<string> AcceptedDigestMethods =
        new HashSet<string>(StringComparer.Ordinal) { Sha256, Sha384, Sha512 };

    private static int _registered;

    /// <summary>Teaches SignedXml the ECDSA signature methods (idempotent, thread-safe).</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha256SignatureDescription), EcdsaSha256);
        CryptoConfig.AddAlgorithm(typeof(EcdsaSha384SignatureDescription), EcdsaSha384);
    }
}

/// <summary>ECDSA with SHA-256 for SignedXml (XML-DSig 1.1; r||s signature encoding).</summary>
public sealed class EcdsaSha256SignatureDescription() : EcdsaSignatureDescription(HashAlgorithmName.SHA256);

/// <summary>ECDSA with SHA-384 for SignedXml (XML-DSig 1.1; r||s signature encoding).</summary>
public sealed class EcdsaSha384SignatureDescription() : EcdsaSignatureDescription(HashAlgorithmName.SHA384);

/// <summary>Bridges an ECDSA key to SignedXml's formatter/deformatter model.</summary>
public abstract class EcdsaSignatureDescription : SignatureDescription
{
    private readonly HashAlgorithmName _hash;

    protected EcdsaSignatureDescription(HashAlgorithmName hash)
    {
        _hash = hash;
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
    }

    public override HashAlgorithm CreateDigest() =>
        _hash == HashAlgorithmName.SHA384 ? SHA384.Create() : SHA256.Create();

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) =>
        new EcdsaFormatter(key as ECDsa ?? throw new CryptographicException("An ECDSA key is required."));

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) =>
        new EcdsaDeformatter(key as ECDsa ?? throw new CryptographicException("An ECDSA key is required."));

    private sealed class EcdsaFormatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        public override void SetKey(AsymmetricAlgorithm key) => throw new NotSupportedException();
        public override void SetHashAlgorithm(string strName) { }
        // XML-DSig wants the fixed-size r||s form, which is .NET's default (IEEE P1363).
        public override byte[] CreateSignature(byte[] rgbHash) => key.SignHash(rgbHash);
    }

    private sealed class EcdsaDeformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        public override void SetKey(AsymmetricAlgorithm key) => throw new NotSupportedException();
        public override void SetHashAlgorithm(string strName) { }
        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) => key.VerifyHash(rgbHash, rgbSignature);
    }
}
