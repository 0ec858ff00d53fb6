using System.Security.Cryptography.X509Certificates;
using System.Xml;
using System.Xml.Serialization;
using Siuss.Contracts.Documents;
using Siuss.Signing;

namespace Siuss.Client.Cli;

/// <summary>Checks that a signed answer is the register's and answers this very request (not a replay of another answer).</summary>
public static class RegisterAnswer
{
    /// <summary>The <c>IdMessaggio</c> of a Richiesta this client just signed, to match the answer's against.</summary>
    public static string RequestId(byte[] signedRichiesta)
    {
        var document = SafeXml.LoadDocument(signedRichiesta, signedRichiesta.LongLength);
        using var reader = new XmlNodeReader(document);
        return ((Richiesta)new XmlSerializer(typeof(Richiesta)).Deserialize(reader)!).IdMessaggio;
    }

    /// <summary>Verifies the signature against the register's certificate, then that the answer is for <paramref name="codiceEnte"/> and request <paramref name="requestId"/>.</summary>
    public static T Verify<T>(byte[] answer, X509Certificate2 registerCertificate, string codiceEnte, string requestId,
        Func<T, string> answerEnte, Func<T, string> answerRequestId) where T : class
    {
        var document = ReceiptVerifier.VerifyDocument<T>(answer, registerCertificate);
        if (answerEnte(document) != codiceEnte)
            throw new ReceiptVerificationException($"The {typeof(T).Name} is for body '{answerEnte(document)}', not '{codiceEnte}'.");
        if (answerRequestId(document) != requestId)
            throw new ReceiptVerificationException($"The {typeof(T).Name} answers request {answerRequestId(document)}, not this one ({requestId}).");
        return document;
    }
}
