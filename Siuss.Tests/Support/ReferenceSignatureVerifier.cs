using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Siuss.Signing;

namespace Siuss.Tests.Support;

/// <summary>
/// The register's signature profile checked with <see cref="SignedXml"/> end to end, as the product did
/// before it checked the value itself: kept as the reference the product's verifier must agree with.
/// </summary>
public static class ReferenceSignatureVerifier
{
    private const int MinimumRsaKeySize = 2048;

    /// <summary>Checks the document's signature; never throws for hostile input.</summary>
    public static SignatureCheck Verify(XmlDocument document)
    {
        try
        {
            return VerifyCore(document);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // SignedXml throws more than CryptographicException on hostile markup (FormatException for bad
            // base64, XmlException, NullReferenceException on missing parts): never let that become a 500.
            return Fail(SignatureFailure.ProfileViolation, "The signature element is malformed (" + e.GetType().Name + ").");
        }
    }

    private static SignatureCheck VerifyCore(XmlDocument document)
    {
        SignatureAlgorithms.EnsureRegistered();
        var root = document.DocumentElement;
        if (root is null) return Fail(SignatureFailure.Missing, "The document is empty.");

        var signatures = document.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl);
        if (signatures.Count == 0) return Fail(SignatureFailure.Missing, "The document is not signed.");
        if (signatures.Count > 1) return Fail(SignatureFailure.ProfileViolation, "The document carries more than one signature.");
        var signatureElement = (XmlElement)signatures[0]!;
        if (signatureElement.ParentNode != root)
            return Fail(SignatureFailure.ProfileViolation, "The signature must be a child of the document's root element.");

        var signedXml = new SignedXml(document);
        try
        {
            signedXml.LoadXml(signatureElement);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or XmlException or NullReferenceException or ArgumentException or InvalidCastException)
        {
            return Fail(SignatureFailure.ProfileViolation, "The signature element is malformed: " + e.Message);
        }

        var profileProblem = CheckProfile(signedXml);
        if (profileProblem is not null) return Fail(SignatureFailure.ProfileViolation, profileProblem);

        var certificate = SingleCertificate(signedXml.KeyInfo, out var keyInfoProblem);
        if (certificate is null) return Fail(SignatureFailure.ProfileViolation, keyInfoProblem!);

        return CheckValue(signedXml, certificate);
    }

    private static string? CheckProfile(SignedXml signedXml)
    {
        var signedInfo = signedXml.SignedInfo!;
        if (signedInfo.CanonicalizationMethod != SignatureAlgorithms.ExclusiveC14N)
            return $"Canonicalization method '{signedInfo.CanonicalizationMethod}' is not accepted; use exclusive c14n without comments.";
        if (signedInfo.SignatureMethod is null || !SignatureAlgorithms.AcceptedSignatureMethods.Contains(signedInfo.SignatureMethod))
            return $"Signature method '{signedInfo.SignatureMethod}' is not accepted.";
        if (signedInfo.References.Count != 1) return "Exactly one reference is required.";
        if (signedXml.Signature.ObjectList.Count > 0) return "A ds:Object is not covered by the signature and is not accepted.";

        var reference = (Reference)signedInfo.References[0]!;
        if (reference.Uri != "") return "The reference must be URI=\"\" (the whole document).";
        if (!SignatureAlgorithms.AcceptedDigestMethods.Contains(reference.DigestMethod ?? ""))
            return $"Digest method '{reference.DigestMethod}' is not accepted.";

        var transforms = reference.TransformChain;
        if (transforms.Count != 2
            || transforms[0].Algorithm != SignatureAlgorithms.Enveloped
            || transforms[1].Algorithm != SignatureAlgorithms.ExclusiveC14N)
            return "The transforms must be exactly: enveloped signature, then exclusive c14n.";
        return null;
    }

    private static X509Certificate2? SingleCertificate(KeyInfo? keyInfo, out string? problem)
    {
        problem = "KeyInfo must hold exactly one X509Data with exactly one certificate.";
        if (keyInfo is null || keyInfo.Count != 1) return null;
        foreach (var clause in keyInfo)
        {
            if (clause is KeyInfoX509Data { Certificates.Count: 1 } data && data.Certificates[0] is X509Certificate certificate)
            {
                problem = null;
                return certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            }
        }
        return null;
    }

    private static SignatureCheck CheckValue(SignedXml signedXml, X509Certificate2 certificate)
    {
        var method = signedXml.SignedInfo!.SignatureMethod!;
        bool wantsEcdsa = method.Contains("ecdsa", StringComparison.Ordinal);
        AsymmetricAlgorithm? key = wantsEcdsa ? certificate.GetECDsaPublicKey() : certificate.GetRSAPublicKey();
        if (key is null)
            return Fail(SignatureFailure.ProfileViolation, "The certificate's key does not match the signature method.");

        using (key)
        {
            if (key is RSA && key.KeySize < MinimumRsaKeySize)
                return Fail(SignatureFailure.ProfileViolation, $"RSA keys shorter than {MinimumRsaKeySize} bits are not accepted.");
            try
            {
                return signedXml.CheckSignature(key)
                    ? new SignatureCheck(certificate, null, "")
                    : Fail(SignatureFailure.Invalid, "The signature does not verify: the document was altered or signed with another key.");
            }
            catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
            {
                return Fail(SignatureFailure.Invalid, "The signature could not be verified: " + e.Message);
            }
        }
    }

    private static SignatureCheck Fail(SignatureFailure failure, string detail) => new(null, failure, detail);
}
