using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Serialization;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Signing;
using Siuss.Tests.Support;

namespace Siuss.Tests.Unit;

/// <summary>Receipts signed without a DOM verify with SignedXml under the register's profile, for every key type it uses.</summary>
[TestFixture]
public sealed class SerializedDocumentSignerTests
{
    private static byte[] Serialize(Ricevuta ricevuta)
    {
        var prefixes = new XmlSerializerNamespaces();
        prefixes.Add("", Namespaces.Documents);
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
            new XmlSerializer(typeof(Ricevuta)).Serialize(writer, ricevuta, prefixes);
        return buffer.ToArray();
    }

    private static Ricevuta Awkward() => new()
    {
        Esito = Esiti.RichiestaInvalida, CodiceEnte = "H501", IdMessaggio = Guid.NewGuid().ToString(), NomeFlusso = "H501.PS.<&>\"'",
        TipoFlusso = TipiFlusso.PsPsaSina, DataOraRicezione = DateTime.UtcNow, HashRichiesta = new string('a', 64), HashFlusso = new string('b', 64),
        IdCorrelazione = "c", Riepilogo = new Riepilogo { Totali = 2, Scartati = 1, Validi = 1 },
        ErroriFlusso = [new Errore { Codice = "X", Campo = "a\"b<c>", Messaggio = "line\r\nbreak\ttab & <tag> é € 𝄞" }],
        EsitiRecord =
        [
            new EsitoRecord { Progressivo = 1, Operazione = "I", CodicePrestazione = "A1.06", ProtocolloDomanda = "P&1\"<>", Esito = Esiti.Ok },
            new EsitoRecord { Progressivo = 2, Operazione = "C", CodicePrestazione = "A1.06", ProtocolloDomanda = "P 2\n", Esito = Esiti.DatiNonTrovati,
                Errori = [new Errore { Codice = "RECORD_NOT_FOUND", Messaggio = "]]> and\r" }] },
        ],
    };

    public static IEnumerable<TestCaseData> Keys()
    {
        yield return new TestCaseData((Func<X509Certificate2>)(() => TestCertificates.Rsa("CN=Register"))).SetName("RSA-SHA256 receipt verifies");
        yield return new TestCaseData((Func<X509Certificate2>)(() => TestCertificates.Ecdsa("CN=Register"))).SetName("ECDSA-SHA256 receipt verifies");
    }

    [TestCaseSource(nameof(Keys))]
    public void A_receipt_signed_from_its_bytes_verifies_and_reads_back(Func<X509Certificate2> key)
    {
        using var certificate = key();
        var original = Awkward();
        var bytes = Serialize(original);

        var signed = SerializedDocumentSigner.Sign(new ArraySegment<byte>(bytes), certificate);

        var ricevuta = ReceiptVerifier.Verify(signed, certificate).Ricevuta;
        Assert.That(ricevuta.NomeFlusso, Is.EqualTo(original.NomeFlusso));
        Assert.That(ricevuta.ErroriFlusso.Single().Messaggio, Is.EqualTo("line\nbreak\ttab & <tag> é € 𝄞"), "XML normalises CR LF to LF");
        Assert.That(ricevuta.EsitiRecord.Select(r => r.ProtocolloDomanda), Is.EqualTo(new[] { "P&1\"<>", "P 2\n" }));
    }

    [Test]
    public void A_changed_byte_after_signing_is_caught()
    {
        using var certificate = TestCertificates.Ecdsa("CN=Register");
        var signed = SerializedDocumentSigner.Sign(new ArraySegment<byte>(Serialize(Awkward())), certificate);
        var text = Encoding.UTF8.GetString(signed).Replace("<Totali>2</Totali>", "<Totali>3</Totali>").Replace("Totali=\"2\"", "Totali=\"3\"");
        Assert.That(text, Is.Not.EqualTo(Encoding.UTF8.GetString(signed)));
        Assert.That(() => ReceiptVerifier.Verify(Encoding.UTF8.GetBytes(text), certificate), Throws.Exception);
    }
}
