using System.Xml;
using System.Xml.Serialization;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Signing;
using Siuss.Signing;

namespace Siuss.Service.Submission;

/// <summary>Turns a <see cref="Ricevuta"/> into the register-signed bytes sent to the body and stored.</summary>
public sealed class ReceiptSigner(ReceiptSigningKey key)
{
    private static readonly XmlSerializer Serializer = new(typeof(Ricevuta));
    private static readonly XmlSerializerNamespaces Prefixes = CreatePrefixes();

    /// <summary>Serialises and signs the receipt.</summary>
    public byte[] Sign(Ricevuta ricevuta)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        using (var writer = document.CreateNavigator()!.AppendChild())
        {
            Serializer.Serialize(writer, ricevuta, Prefixes);
        }
        return XmlDocumentSigner.SignToBytes(document, key.Certificate);
    }

    private static XmlSerializerNamespaces CreatePrefixes()
    {
        var prefixes = new XmlSerializerNamespaces();
        prefixes.Add("", Namespaces.Documents);
        return prefixes;
    }
}
