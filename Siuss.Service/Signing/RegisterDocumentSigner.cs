using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Serialization;
using Siuss.Contracts;
using Siuss.Signing;

namespace Siuss.Service.Signing;

/// <summary>Turns an answer document (a <c>Ricevuta</c>, a <c>StoricoPrestazioni</c>...) into the register-signed bytes sent and stored.</summary>
public sealed class RegisterDocumentSigner(ReceiptSigningKey key)
{
    private static readonly ConcurrentDictionary<Type, XmlSerializer> Serializers = new();
    private static readonly XmlSerializerNamespaces Prefixes = CreatePrefixes();

    /// <summary>Serialises and signs the document with the register's key.</summary>
    public byte[] Sign<T>(T document) where T : class
    {
        var xml = new XmlDocument { PreserveWhitespace = true };
        using (var writer = xml.CreateNavigator()!.AppendChild())
        {
            Serializers.GetOrAdd(typeof(T), t => new XmlSerializer(t)).Serialize(writer, document, Prefixes);
        }
        return XmlDocumentSigner.SignToBytes(xml, key.Certificate);
    }

    private static XmlSerializerNamespaces CreatePrefixes()
    {
        var prefixes = new XmlSerializerNamespaces();
        prefixes.Add("", Namespaces.Documents);
        return prefixes;
    }
}
