using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
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
/// <see cref="SignedXml"/> still parses the signature and its algorithms (its strict structure checks
/// are the profile's first line), but the value is checked here, for the one shape the profile allows:
/// SignedXml would re-serialise and re-parse the whole document to digest <c>URI=""</c> and parse the
/// KeyInfo certificate on every call, which cost several times the cryptography itself.
/// </remarks>
public static class SignatureProfileVerifier
{
    private const int MinimumRsaKeySize = 2048;
    private const string KeyInfoProblem = "KeyInfo must hold exactly one X509Data with exactly one certificate.";

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
            // SignedXml throws more than CryptographicException on hostile markup (FormatException for bad
            // base64, XmlException, NullReferenceException on missing parts): never let that become a 500.
            return SignatureCheck.Fail(SignatureFailure.ProfileViolation, "The signature element is malformed (" + e.GetType().Name + ").");
        }
    }

    private static SignatureCheck VerifyCore(XmlDocument document)
    {
        SignatureAlgorithms.EnsureRegistered();
        var root = document.DocumentElement;
        if (root is null) return SignatureCheck.Fail(SignatureFailure.Missing, "The document is empty.");

        var signatures = document.GetElementsByTagName("Signature", SignedXml.XmlDsigNamespaceUrl);
        if (signatures.Count == 0) return SignatureCheck.Fail(SignatureFailure.Missing, "The document is not signed.");
        if (signatures.Count > 1) return SignatureCheck.Fail(SignatureFailure.ProfileViolation, "The document carries more than one signature.");
        var signatureElement = (XmlElement)signatures[0]!;
        if (signatureElement.ParentNode != root)
            return SignatureCheck.Fail(SignatureFailure.ProfileViolation, "The signature must be a child of the document's root element.");

        // KeyInfo is read here (its certificate from the cache); SignedXml parses the rest, from a copy without it.
        var keyInfos = DsChildren(signatureElement, "KeyInfo");
        if (keyInfos.Count != 1) return SignatureCheck.Fail(SignatureFailure.ProfileViolation, KeyInfoProblem);
        var signingCertificate = SingleCertificate(keyInfos[0]);
        if (signingCertificate is null) return SignatureCheck.Fail(SignatureFailure.ProfileViolation, KeyInfoProblem);

        var withoutKeyInfo = (XmlElement)signatureElement.CloneNode(deep: true);
        withoutKeyInfo.RemoveChild(DsChildren(withoutKeyInfo, "KeyInfo")[0]);
        var signedXml = new SignedXml(document);
        try
        {
            signedXml.LoadXml(withoutKeyInfo);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or XmlException or NullReferenceException or ArgumentException or InvalidCastException)
        {
            return SignatureCheck.Fail(SignatureFailure.ProfileViolation, "The signature element is malformed: " + e.Message);
        }

        var profileProblem = CheckProfile(signedXml);
        if (profileProblem is not null) return SignatureCheck.Fail(SignatureFailure.ProfileViolation, profileProblem);

        return CheckValue(document, signatureElement, signedXml, signingCertificate);
    }

    private static string? CheckProfile(SignedXml signedXml)
    {
        var signedInfo = signedXml.SignedInfo!;
        if (signedInfo.CanonicalizationMethod != SignatureAlgorithms.ExclusiveC14N)
            return $"Canonicalization method '{signedInfo.CanonicalizationMethod}' is not accepted; use exclusive c14n without comments.";
        if (signedInfo.SignatureMethod is null || !SignatureAlgorithms.AcceptedSignatureMethods.Contains(signedInfo.SignatureMethod))
            return $"Signature method '{signedInfo.SignatureMethod}' is not accepted.";
        if (signedInfo.References.Count != 1) return "Exactly one reference is required.";

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

    // As KeyInfo and KeyInfoX509Data read it: one clause, an X509Data, holding exactly one certificate.
    private static SigningCertificate? SingleCertificate(XmlElement keyInfo)
    {
        XmlElement? x509Data = null;
        int clauses = 0;
        foreach (XmlNode child in keyInfo.ChildNodes)
        {
            if (child is not XmlElement element) continue;
            clauses++;
            if (element.LocalName == "X509Data" && element.NamespaceURI == SignedXml.XmlDsigNamespaceUrl) x509Data = element;
        }
        if (clauses != 1 || x509Data is null) return null;

        if (!X509DataChildren.Any(name => DsChildren(x509Data, name).Count > 0))
            throw new CryptographicException("X509Data holds none of the elements it may hold.");
        var certificates = DsChildren(x509Data, "X509Certificate");
        return certificates.Count == 1 ? SigningCertificateCache.Get(certificates[0].InnerText) : null;
    }

    private static SignatureCheck CheckValue(XmlDocument document, XmlElement signatureElement, SignedXml signedXml, SigningCertificate signer)
    {
        var signedInfo = signedXml.SignedInfo!;
        var method = signedInfo.SignatureMethod!;
        bool wantsEcdsa = method.Contains("ecdsa", StringComparison.Ordinal);
        AsymmetricAlgorithm? key = wantsEcdsa ? signer.Ecdsa : signer.Rsa;
        if (key is null)
            return SignatureCheck.Fail(SignatureFailure.ProfileViolation, "The certificate's key does not match the signature method.");
        if (key is RSA && key.KeySize < MinimumRsaKeySize)
            return SignatureCheck.Fail(SignatureFailure.ProfileViolation, $"RSA keys shorter than {MinimumRsaKeySize} bits are not accepted.");

        try
        {
            var canonicalSignedInfo = CanonicalSignedInfo(DsChildren(signatureElement, "SignedInfo")[0], signedInfo);
            if (!SignatureVerifies(key, method, canonicalSignedInfo, signedXml.SignatureValue ?? []))
                return SignatureCheck.Fail(SignatureFailure.Invalid, "The signature does not verify: the document was altered or signed with another key.");

            var reference = (Reference)signedInfo.References[0]!;
            var digest = DocumentDigest(document, signatureElement, reference);
            if (!CryptographicOperations.FixedTimeEquals(digest, reference.DigestValue ?? []))
                return SignatureCheck.Fail(SignatureFailure.Invalid, "The signature does not verify: the document was altered or signed with another key.");
            return new SignatureCheck(signer.Certificate, null, "");
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return SignatureCheck.Fail(SignatureFailure.Invalid, "The signature could not be verified: " + e.Message);
        }
    }

    // Enveloped transform then exclusive c14n, on a copy of the document without the signature: what
    // SignedXml computes for URI="", without its serialise-and-reparse of the whole document.
    private static byte[] DocumentDigest(XmlDocument document, XmlElement signatureElement, Reference reference)
    {
        var copy = (XmlDocument)document.CloneNode(deep: true);
        var copyRoot = copy.DocumentElement!;
        copyRoot.RemoveChild(copyRoot.ChildNodes[IndexOf(signatureElement)]!);
        var c14n = new XmlDsigExcC14NTransform(includeComments: false, ((XmlDsigExcC14NTransform)reference.TransformChain[1]).InclusiveNamespacesPrefixList);
        c14n.LoadInput(copy);
        using var hash = DigestFor(reference.DigestMethod!);
        return c14n.GetDigestedOutput(hash);
    }

    // SignedInfo canonicalised on its own, as SignedXml does: a copy carrying the namespace bindings in
    // scope where it stands (nearest first), whether declared by attributes or only implied by an element's
    // or attribute's namespace in a DOM built in memory.
    private static byte[] CanonicalSignedInfo(XmlElement signedInfoElement, SignedInfo signedInfo)
    {
        var standalone = new XmlDocument { PreserveWhitespace = true };
        var copy = (XmlElement)standalone.AppendChild(standalone.ImportNode(signedInfoElement, deep: true))!;
        var bound = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlAttribute attribute in copy.Attributes)
            if (attribute.NamespaceURI == XmlnsNamespace) bound.Add(attribute.Name);

        void Bind(string prefix, string namespaceUri)
        {
            var name = prefix.Length == 0 ? "xmlns" : "xmlns:" + prefix;
            if (!bound.Add(name)) return;
            var declaration = standalone.CreateAttribute(name, XmlnsNamespace);
            declaration.Value = namespaceUri;
            copy.SetAttributeNode(declaration);
        }

        for (var element = signedInfoElement; element is not null; element = element.ParentNode as XmlElement)
        {
            foreach (XmlAttribute attribute in element.Attributes)
            {
                if (attribute.NamespaceURI == XmlnsNamespace)
                    Bind(attribute.Prefix.Length == 0 ? "" : attribute.LocalName, attribute.Value);
                else if (attribute.Prefix.Length > 0 && attribute.Prefix != "xml")
                    Bind(attribute.Prefix, attribute.NamespaceURI);
            }
            Bind(element.Prefix, element.NamespaceURI);
        }
        var c14n = new XmlDsigExcC14NTransform(includeComments: false, ((XmlDsigExcC14NTransform)signedInfo.CanonicalizationMethodObject).InclusiveNamespacesPrefixList);
        c14n.LoadInput(standalone);
        using var output = (Stream)c14n.GetOutput(typeof(Stream));
        using var buffer = new MemoryStream();
        output.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static bool SignatureVerifies(AsymmetricAlgorithm key, string method, byte[] signedBytes, byte[] signature)
    {
        var hash = method switch
        {
            SignatureAlgorithms.RsaSha256 or SignatureAlgorithms.EcdsaSha256 => HashAlgorithmName.SHA256,
            SignatureAlgorithms.RsaSha384 or SignatureAlgorithms.EcdsaSha384 => HashAlgorithmName.SHA384,
            SignatureAlgorithms.RsaSha512 => HashAlgorithmName.SHA512,
            _ => throw new CryptographicException($"Signature method '{method}' is not accepted."),
        };
        // XML-DSig's ECDSA signature is r||s, which is .NET's default (IEEE P1363) form.
        return key is RSA rsa
            ? rsa.VerifyData(signedBytes, signature, hash, RSASignaturePadding.Pkcs1)
            : ((ECDsa)key).VerifyData(signedBytes, signature, hash);
    }

    private static HashAlgorithm DigestFor(string digestMethod) => digestMethod switch
    {
        SignatureAlgorithms.Sha256 => SHA256.Create(),
        SignatureAlgorithms.Sha384 => SHA384.Create(),
        SignatureAlgorithms.Sha512 => SHA512.Create(),
        _ => throw new CryptographicException($"Digest method '{digestMethod}' is not accepted."),
    };

    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private static int IndexOf(XmlNode node)
    {
        int index = 0;
        for (var sibling = node.PreviousSibling; sibling is not null; sibling = sibling.PreviousSibling) index++;
        return index;
    }

    private static List<XmlElement> DsChildren(XmlElement parent, string localName)
    {
        var found = new List<XmlElement>();
        foreach (XmlNode child in parent.ChildNodes)
            if (child is XmlElement e && e.LocalName == localName && e.NamespaceURI == SignedXml.XmlDsigNamespaceUrl) found.Add(e);
        return found;
    }
}
