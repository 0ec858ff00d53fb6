namespace Siuss.Contracts;

/// <summary>
/// Stable SOAP fault codes (local names in <see cref="Namespaces.Faults"/>), raised when a request
/// fails before its sender is authenticated. Everything after authentication is a signed receipt.
/// </summary>
public static class FaultCodes
{
    /// <summary>The HTTP request body is larger than the configured limit.</summary>
    public const string RequestTooLarge = "RequestTooLarge";
    /// <summary>The SOAP request itself could not be read (envelope, SOAPAction, base64 payload).</summary>
    public const string RequestMalformed = "RequestMalformed";
    /// <summary>A required part of the request (header or flow) is missing or empty.</summary>
    public const string PayloadMissing = "PayloadMissing";
    /// <summary>The signed document is not well-formed XML.</summary>
    public const string XmlMalformed = "XmlMalformed";
    /// <summary>The signed document carries a DTD or entity declaration.</summary>
    public const string DtdProhibited = "DtdProhibited";
    /// <summary>The signed document does not match its schema (missing or malformed fields).</summary>
    public const string DocumentInvalid = "DocumentInvalid";
    /// <summary>The document has no XML signature.</summary>
    public const string SignatureMissing = "SignatureMissing";
    /// <summary>The signature is outside the accepted profile (algorithms, transforms, references, placement).</summary>
    public const string SignatureProfileViolation = "SignatureProfileViolation";
    /// <summary>The signature value or a digest does not verify.</summary>
    public const string SignatureInvalid = "SignatureInvalid";
    /// <summary>The body named in <c>CodiceEnte</c> is not registered.</summary>
    public const string AgencyUnknown = "AgencyUnknown";
    /// <summary>The signing certificate is not one registered for the body named in <c>CodiceEnte</c>.</summary>
    public const string CertificateNotRegistered = "CertificateNotRegistered";
    /// <summary>The signing certificate was revoked by an operator.</summary>
    public const string CertificateRevoked = "CertificateRevoked";
    /// <summary>The signing certificate is not valid at the document's <c>DataOra</c>.</summary>
    public const string CertificateExpired = "CertificateExpired";
    /// <summary><c>DataOra</c> is outside the accepted freshness window.</summary>
    public const string MessageStale = "MessageStale";
    /// <summary>The <c>IdMessaggio</c> was already used for a different document.</summary>
    public const string MessageIdReused = "MessageIdReused";
    /// <summary>The register could not complete the request; the sender may retry.</summary>
    public const string InternalError = "InternalError";
    /// <summary>The register is processing as many requests as it is allowed to; retry shortly (HTTP 503, Retry-After).</summary>
    public const string ServerBusy = "ServerBusy";
    /// <summary>The body sent more submissions than its rate allows; retry after the time in the message. Nothing was stored.</summary>
    public const string RateLimited = "RateLimited";

    /// <summary>The signer's body has no consulting role, which GetBeneficiaryBenefits requires; the attempt is audited.</summary>
    public const string ConsultationNotAllowed = "ConsultationNotAllowed";
    /// <summary>A query parameter is out of range (for example a <c>Limit</c> above the maximum or a malformed <c>Periodo</c>).</summary>
    public const string QueryInvalid = "QueryInvalid";

    /// <summary>Every fault code, for documentation and tests.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        RequestTooLarge, RequestMalformed, PayloadMissing, XmlMalformed, DtdProhibited, DocumentInvalid, SignatureMissing,
        SignatureProfileViolation, SignatureInvalid, AgencyUnknown, CertificateNotRegistered,
        CertificateRevoked, CertificateExpired, MessageStale, MessageIdReused, InternalError, ServerBusy, RateLimited,
        ConsultationNotAllowed, QueryInvalid,
    ];
}
