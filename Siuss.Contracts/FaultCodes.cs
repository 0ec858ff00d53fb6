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

    /// <summary>No resource at the request's path (a variant of the service path included: trailing slash, sub-path, case, encoded characters). HTTP 404.</summary>
    public const string EndpointNotFound = "EndpointNotFound";
    /// <summary>The path exists but not for this HTTP method (e.g. PUT or DELETE on the service path). HTTP 405 with Allow.</summary>
    public const string MethodNotAllowed = "MethodNotAllowed";
    /// <summary>A SOAP request whose Content-Type is not <c>text/xml</c> in UTF-8 (missing, SOAP 1.2, multipart, JSON, another charset). HTTP 415.</summary>
    public const string UnsupportedMediaType = "UnsupportedMediaType";
    /// <summary>The request body did not arrive within the body deadline or at the minimum data rate. HTTP 408.</summary>
    public const string RequestTimeout = "RequestTimeout";
    /// <summary>The client address already has as many requests in progress as it may; retry when one is answered. HTTP 429, Retry-After.</summary>
    public const string ClientBusy = "ClientBusy";

    /// <summary>
    /// Every fault with its HTTP status, the EventId of the log line the register writes when it raises it, and when it
    /// is raised: the one place these are declared (the edge, the SubmitFlow fast path and the SoapCore endpoint all
    /// answer and log through it; <c>docs/rules.md</c> lists it). SOAP 1.1 sends faults with HTTP 500; the edge's
    /// refusals keep the HTTP status a client or proxy acts on.
    /// </summary>
    public static readonly IReadOnlyList<FaultDescription> Catalogue =
    [
        new(RequestTooLarge, 500, 2001, "The Content-Length, or the body read so far, is over `Siuss:Limits:MaxRequestBytes`; refused before the body is read."),
        new(RequestMalformed, 500, 2002, "The SOAP request cannot be read: not well-formed or not UTF-8 XML, a SOAPAction naming no operation, an envelope outside the rules (one Body, one operation matching the SOAPAction, no mustUnderstand header, no processing instruction, depth/attribute limits), bad base64, or a broken HTTP body framing (e.g. a malformed chunk)."),
        new(PayloadMissing, 500, 2003, "The operation element lacks a payload (Trasmissione, Flusso or Richiesta) or carries it empty."),
        new(XmlMalformed, 500, 2004, "The signed document (Trasmissione or Richiesta) is not well-formed XML."),
        new(DtdProhibited, 500, 2005, "The SOAP envelope or a signed document carries a document type declaration."),
        new(DocumentInvalid, 500, 2006, "The signed document does not match its schema (e.g. a DataOra outside the xs:dateTime lexical space) or the query is incoherent."),
        new(SignatureMissing, 500, 2007, "The signed document has no ds:Signature."),
        new(SignatureProfileViolation, 500, 2008, "The signature is outside the profile: algorithms, transforms, references, placement, certificate count, key size."),
        new(SignatureInvalid, 500, 2009, "A digest or the signature value does not verify."),
        new(AgencyUnknown, 500, 2010, "CodiceEnte names a body the operator has not registered."),
        new(CertificateNotRegistered, 500, 2011, "The signing certificate is not pinned for the body named in CodiceEnte."),
        new(CertificateRevoked, 500, 2012, "The signing certificate was revoked by an operator."),
        new(CertificateExpired, 500, 2013, "The signing certificate is not valid at DataOra."),
        new(MessageStale, 500, 2014, "DataOra is further in the future than `Siuss:Freshness:MaxClockSkew` or older than the freshness window."),
        new(MessageIdReused, 500, 2015, "The IdMessaggio (compared case-insensitively, as UUIDs are) was already used for a different document."),
        new(InternalError, 500, 2016, "The register itself failed (e.g. the database or the temporary folder); the same request may be sent again. Never raised for anything the client sent."),
        new(ServerBusy, 503, 2017, "`Siuss:Limits:MaxConcurrentRequests` requests are being processed and the queue is full or the wait passed `QueueTimeout`; Retry-After: 1."),
        new(RateLimited, 500, 2018, "The body made more submissions than `Siuss:Limits:SubmissionsPerSecondPerBody` allows."),
        new(ConsultationNotAllowed, 500, 2019, "GetBeneficiaryBenefits signed by a body without the consulting role (audited)."),
        new(QueryInvalid, 500, 2020, "A query parameter is out of range (Limit, Since, a Periodo outside 0001-01..9999-11)."),
        new(EndpointNotFound, 404, 2021, "Any path other than the service path and the published files, including variants of the service path (trailing slash, sub-path, other case, percent-encoded characters, dot segments) and a query on a SOAP POST."),
        new(MethodNotAllowed, 405, 2022, "A method other than POST (SOAP) or GET (`?wsdl`, `?xsd=`) on the service path, or other than GET on the published files; the Allow header lists the methods."),
        new(UnsupportedMediaType, 415, 2023, "A SOAP POST whose Content-Type is missing or is not `text/xml` with no charset or charset=utf-8 (SOAP 1.2, multipart, JSON, UTF-16...)."),
        new(RequestTimeout, 408, 2024, "The body was not received within `Siuss:Limits:RequestBodyTimeout`, or arrived slower than Kestrel's minimum data rate."),
        new(ClientBusy, 429, 2025, "The client address already has `Siuss:Limits:MaxRequestsPerClient` requests in progress (receiving included); Retry-After: 1."),
    ];

    /// <summary>Every fault code, for documentation and tests.</summary>
    public static readonly IReadOnlyList<string> All = [.. Catalogue.Select(f => f.Code)];

    /// <summary>The description of a fault code; throws for a code that is not in <see cref="Catalogue"/>.</summary>
    public static FaultDescription Describe(string code) => Catalogue.First(f => f.Code == code);
}

/// <summary>One fault: its stable code, the HTTP status it is sent with, the EventId of its log line, and when it is raised.</summary>
public sealed record FaultDescription(string Code, int HttpStatus, int EventId, string When);
