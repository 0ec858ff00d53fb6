using System.Security.Cryptography.X509Certificates;
using System.Xml;
using System.Xml.Serialization;
using Siuss.Contracts.Documents;
using Siuss.Signing;

namespace Siuss.Client;

/// <summary>A receipt whose signature was checked against the register's published certificate.</summary>
public sealed record VerifiedReceipt(Ricevuta Ricevuta, X509Certificate2 Signer);

/// <summary>Checks that a receipt was signed by the register (the certificate published at <c>/receipt-certificate.pem</c>).</summary>
public static class ReceiptVerifier
{
    /// <summary>Verifies and parses; throws <see cref="ReceiptVerificationException"/> when the receipt is not the register's.</summary>
    public static VerifiedReceipt Verify(byte[] receiptBytes, X509Certificate2 registerCertificate) =>
        new(VerifyDocument<Ricevuta>(receiptBytes, registerCertificate), registerCertificate);

    /// <summary>Verifies any answer the register signs (Ricevuta, StoricoPrestazioni...) and parses it.</summary>
    public static T VerifyDocument<T>(byte[] receiptBytes, X509Certificate2 registerCertificate) where T : class
    {
        XmlDocument document;
        try
        {
            document = SafeXml.LoadDocument(receiptBytes, 512L * 1024 * 1024);
        }
        catch (Exception e) when (e is XmlException or UnsafeXmlException)
        {
            throw new ReceiptVerificationException("The receipt is not well-formed XML: " + e.Message);
        }
        var check = SignatureProfileVerifier.Verify(document);
        if (!check.IsValid)
            throw new ReceiptVerificationException($"The receipt's signature is not valid ({check.Failure}): {check.Detail}");
        if (!check.Certificate!.RawDataMemory.Span.SequenceEqual(registerCertificate.RawDataMemory.Span))
            throw new ReceiptVerificationException("The receipt was signed by a certificate other than the register's.");
        if (document.DocumentElement!.LocalName != typeof(T).Name)
            throw new ReceiptVerificationException($"Expected a {typeof(T).Name}, got a {document.DocumentElement.LocalName}.");
        using var reader = new XmlNodeReader(document);
        return (T)new XmlSerializer(typeof(T)).Deserialize(reader)!;
    }
}

/// <summary>Raised when a receipt is not verifiably the register's.</summary>
public sealed class ReceiptVerificationException(string message) : Exception(message);
