using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace Siuss.Signing;

/// <summary>Why a document's signature was refused.</summary>
public enum SignatureFailure
{
    /// <summary>No <c>ds:Signature</c> at all.</summary>
    Missing,
    /// <summary>The signature is outside the profile (placement, algorithms, transforms, references, key info).</summary>
    ProfileViolation,
    /// <summary>The signature or digest does not verify.</summary>
    Invalid,
}

/// <summary>The outcome of a profile check: the signer's certificate, or why the signature was refused.</summary>
public sealed record SignatureCheck(X509Certificate2? Certificate, SignatureFailure? Failure, string Detail)
{
    /// <summary>True when the signature verified within the profile.</summary>
    public bool IsValid => Certificate is not null && Failure is null;

    internal static SignatureCheck Fail(SignatureFailure failure, string detail) => new(null, failure, detail);
}

/// <summary>
/// Verifies an enveloped signature against the register's profile: exactly one <c>ds:Signature</c>,
/// a child of the root, one reference <c>URI=""</c>, enveloped + exclusive c14n only, accepted
/// algorithms, one X509 certificate. It says who signed; whether that signer is allowed is the caller's call.
/// </summary>
/// <remarks>
/// The signature is read straight from the DOM (<see cref="SignatureMarkup"/> makes SignedXml's structure
/// checks) and both canonical forms are streamed by <see cref="ExclusiveCanonicalizer"/> into their hashes:
/// SignedXml and the framework's c14n transform copied the DOM several times per call, which cost several
/// times the cryptography itself. <c>Siuss.Tests</c> keeps a SignedXml-based verifier this one must agree with.
/// </remarks>
public static class SignatureProfileVerifier
{
    private const string Ds = "http://www.w3.org/2000/09/xmldsig#";
    private const int MinimumRsaKeySize = 2048;
    private const string KeyInfoProblem = "KeyInfo must hold exactly one X509Data with exactly one certificate.";
    private const string DoesNotVerify = "The signature does not verify: the document was altered or signed with another key.";

    // The X509Data children KeyInfoX509Data understands; one of them must be there (as SignedXml requires).
    private static readonly string[] X509DataChildren = ["X509Certificate", "X509IssuerSerial", "X509SKI", "X509SubjectName", "X509CRL"];

    /// <summary>Checks the document's signature; never throws for hostile input. The certificate returned is shared: do not dispose it.</summary>
    public static SignatureCheck Verify(XmlDocument document)
    {
        try
        {
            return VerifyCore(document);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Hostile markup can fail in many ways (bad base64 in a certificate, a key the platform rejects):
            // never let that become a 500.
            return SignatureCheck.Fail(SignatureFailure.ProfileViolation, "The signature element is malformed (" + e.GetType().Name + ").");
        }
    }

    private static SignatureCheck VerifyCore(XmlDocument document)
    {
        var root = document.DocumentElement;
        if (root is null) return SignatureCheck.Fail(SignatureFailure.Missing, "The document is empty.");

        var (signatureElement, signatureCount) = FindSignatures(document);
        if (signatureElement is null) return SignatureCheck.Fail(SignatureFailure.Missing, "The document is not signed.");
        if (signatureCount > 1) return SignatureCheck.Fail(SignatureFailure.ProfileViolation, "The document carries more than one signature.");
        if (signatureElement.ParentNode != root)
            return SignatureCheck.Fail(SignatureFailure.ProfileViolation, "The signature must be a child of the document's root element.");

        var keyInfos = SignatureMarkup.DsChildren(signatureElement, "KeyInfo");
        if (keyInfos.Count != 1) return SignatureCheck.Fail(SignatureFailure.ProfileViolation, KeyInfoProblem);
        var signingCertificate = SingleCertificate(keyInfos[0]);
        if (signingCertificate is null) return SignatureCheck.Fail(SignatureFailure.ProfileViolation, KeyInfoProblem);

        SignatureMarkup markup;
        try
        {
            markup = SignatureMarkup.Read(signatureElement);
        }
        catch (Exception e) when (e is MalformedSignatureException or FormatException)
        {
            return SignatureCheck.Fail(SignatureFailure.ProfileViolation, "The signature element is malformed: " + e.Message);
        }

        var profileProblem = CheckProfile(markup);
        if (profileProblem is not null) return SignatureCheck.Fail(SignatureFailure.ProfileViolation, profileProblem);

        return CheckValue(document, signatureElement, markup, signingCertificate);
    }

    // Every ds:Signature in the document, wherever it is (the profile allows one): the first, and how many (up to 2).
    private static (XmlElement? First, int Count) FindSignatures(XmlDocument document)
    {
        XmlElement? first = null;
        int count = 0;
        var pending = new Stack<XmlNode>();
        pending.Push(document);
        while (pending.Count > 0 && count < 2)
        {
            // Children are pushed in reverse so the walk meets elements in document order, as GetElementsByTagName does.
            var node = pending.Pop();
            if (node is XmlElement { LocalName: "Signature", NamespaceURI: Ds } signature)
            {
                first ??= signature;
                count++;
            }
            for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
                if (child.NodeType == XmlNodeType.Element) pending.Push(child);
        }
        return (first, count);
    }

    private static string? CheckProfile(SignatureMarkup markup)
    {
        if (markup.CanonicalizationMethod != SignatureAlgorithms.ExclusiveC14N)
            return $"Canonicalization method '{markup.CanonicalizationMethod}' is not accepted; use exclusive c14n without comments.";
        if (!SignatureAlgorithms.AcceptedSignatureMethods.Contains(markup.SignatureMethod))
            return $"Signature method '{markup.SignatureMethod}' is not accepted.";
        if (markup.ReferenceCount != 1) return "Exactly one reference is required.";

        if (markup.ReferenceUri != "") return "The reference must be URI=\"\" (the whole document).";
        if (!SignatureAlgorithms.AcceptedDigestMethods.Contains(markup.DigestMethod))
            return $"Digest method '{markup.DigestMethod}' is not accepted.";

        var transforms = markup.Transforms;
        if (transforms.Count != 2
            || transforms[0].Algorithm != SignatureAlgorithms.Enveloped
            || transforms[1].Algorithm != SignatureAlgorithms.ExclusiveC14N)
            return "The transforms must be exactly: enveloped signature, then exclusive c14n.";
        return null;
    }

    // As KeyInfo and KeyInfoX509Data read it: one clause, an X509Data, holding exactly one certificate.
    private static SigningCertificate? SingleCertificate(XmlElement keyInfo)
    {
        XmlElement? x509Data = null;
        int clauses = 0;
        foreach (XmlNode child in keyInfo.ChildNodes)
        {
            if (child is not XmlElement element) continue;
            clauses++;
            if (element.LocalName == "X509Data" && element.NamespaceURI == Ds) x509Data = element;
        }
        if (clauses != 1 || x509Data is null) return null;

        if (!X509DataChildren.Any(name => SignatureMarkup.DsChildren(x509Data, name).Count > 0))
            throw new CryptographicException("X509Data holds none of the elements it may hold.");
        var certificates = SignatureMarkup.DsChildren(x509Data, "X509Certificate");
        return certificates.Count == 1 ? SigningCertificateCache.Get(certificates[0].InnerText) : null;
    }

    /// <summary>
    /// Why the profile refuses signatures made with <paramref name="certificate"/>'s key, or null when it accepts them:
    /// the same rule the verifier applies, so an operator cannot pin a certificate whose signatures would always fail.
    /// </summary>
    public static string? KeyProblem(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null) return KeyProblem(rsa);
        using var ecdsa = certificate.GetECDsaPublicKey();
        return ecdsa is not null ? null : "The certificate's key is neither RSA nor ECDSA, the only keys the signature profile accepts.";
    }

    private static string? KeyProblem(AsymmetricAlgorithm key) =>
        key is RSA && key.KeySize < MinimumRsaKeySize ? $"RSA keys shorter than {MinimumRsaKeySize} bits are not accepted." : null;

    private static SignatureCheck CheckValue(XmlDocument document, XmlElement signatureElement, SignatureMarkup markup, SigningCertificate signer)
    {
        bool wantsEcdsa = markup.SignatureMethod.Contains("ecdsa", StringComparison.Ordinal);
        AsymmetricAlgorithm? key = wantsEcdsa ? signer.Ecdsa : signer.Rsa;
        if (key is null)
            return SignatureCheck.Fail(SignatureFailure.ProfileViolation, "The certificate's key does not match the signature method.");
        if (KeyProblem(key) is { } problem)
            return SignatureCheck.Fail(SignatureFailure.ProfileViolation, problem);

        try
        {
            if (!SignatureVerifies(key, markup))
                return SignatureCheck.Fail(SignatureFailure.Invalid, DoesNotVerify);
            if (!CryptographicOperations.FixedTimeEquals(DocumentDigest(document, signatureElement, markup), markup.DigestValue))
                return SignatureCheck.Fail(SignatureFailure.Invalid, DoesNotVerify);
            return new SignatureCheck(signer.Certificate, null, "");
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return SignatureCheck.Fail(SignatureFailure.Invalid, "The signature could not be verified: " + e.Message);
        }
    }

    // The signature covers SignedInfo canonicalised on its own (exclusive c14n, as a document subset).
    private static bool SignatureVerifies(AsymmetricAlgorithm key, SignatureMarkup markup)
    {
        var hashName = markup.SignatureMethod switch
        {
            SignatureAlgorithms.RsaSha256 or SignatureAlgorithms.EcdsaSha256 => HashAlgorithmName.SHA256,
            SignatureAlgorithms.RsaSha384 or SignatureAlgorithms.EcdsaSha384 => HashAlgorithmName.SHA384,
            SignatureAlgorithms.RsaSha512 => HashAlgorithmName.SHA512,
            _ => throw new CryptographicException($"Signature method '{markup.SignatureMethod}' is not accepted."),
        };
        using var hash = IncrementalHash.CreateHash(hashName);
        if (markup.CanonicalizationPrefixList is null)
            ExclusiveCanonicalizer.Canonicalize(markup.SignedInfo, new HashingStream(hash));
        else
            FrameworkCanonicalization.DigestSignedInfo(markup.SignedInfo, markup.CanonicalizationPrefixList, hash);
        var signedInfoHash = hash.GetHashAndReset();

        // XML-DSig's ECDSA signature is r||s, which is .NET's default (IEEE P1363) form.
        return key is RSA rsa
            ? rsa.VerifyHash(signedInfoHash, markup.SignatureValue, hashName, RSASignaturePadding.Pkcs1)
            : ((ECDsa)key).VerifyHash(signedInfoHash, markup.SignatureValue);
    }

    // Enveloped transform then exclusive c14n of the whole document (URI=""): the signature element left out.
    private static byte[] DocumentDigest(XmlDocument document, XmlElement signatureElement, SignatureMarkup markup)
    {
        using var hash = IncrementalHash.CreateHash(DigestFor(markup.DigestMethod));
        var prefixList = markup.Transforms[1].PrefixList;
        if (prefixList is null)
            ExclusiveCanonicalizer.Canonicalize(document, new HashingStream(hash), leaveOut: signatureElement);
        else
            FrameworkCanonicalization.DigestDocument(document, signatureElement, prefixList, hash);
        return hash.GetHashAndReset();
    }

    private static HashAlgorithmName DigestFor(string digestMethod) => digestMethod switch
    {
        SignatureAlgorithms.Sha256 => HashAlgorithmName.SHA256,
        SignatureAlgorithms.Sha384 => HashAlgorithmName.SHA384,
        SignatureAlgorithms.Sha512 => HashAlgorithmName.SHA512,
        _ => throw new CryptographicException($"Digest method '{digestMethod}' is not accepted."),
    };
}
