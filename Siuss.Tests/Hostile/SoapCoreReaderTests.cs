using System.ServiceModel.Channels;
using System.Text;
using System.Xml;
using Microsoft.Extensions.DependencyInjection;
using Siuss.Contracts;
using Siuss.Tests.Support;
using SoapCore.MessageEncoder;

namespace Siuss.Tests.Hostile;

/// <summary>
/// SoapCore's own request reader and what keeps a DTD away from it. SoapCore 1.2.1.18 reads every request with
/// <c>XDocument.LoadAsync</c> (ParsedMessage.FromStreamAsync), whose reader settings System.Xml.Linq fixes at
/// DtdProcessing.Parse; nothing in SoapCoreOptions, SoapEncoderOptions or the DI hooks (filters, processors, inspectors
/// all get the message already parsed) reaches them. So the register's strict reader (DTDs prohibited, no resolver)
/// must read every request whole before SoapCore does, on every operation SoapCore serves.
/// </summary>
[TestFixture]
public sealed class SoapCoreReaderTests
{
    private const string Service = "/AssistanceRecord.svc";

    // "QUFB" (base64 of "AAA") times 10^4 if any reader expands the entities.
    private const string Dtd = "<!DOCTYPE s:Envelope [<!ENTITY a \"QUFB\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">" +
                               "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">" +
                               "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">]>";

    private static string Envelope(string operation, string richiesta) =>
        $"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><{operation} xmlns=\"{Namespaces.Service}\">" +
        $"<Richiesta>{richiesta}</Richiesta></{operation}></s:Body></s:Envelope>";

    /// <summary>
    /// Pins the finding the register's composition relies on: SoapCore's reader, driven directly, expands internal
    /// entities. Should a SoapCore upgrade start refusing DTDs this fails, and the comment in RegisterWebHost and the
    /// README's Security section are to be updated (the register's guard then becomes a second line).
    /// </summary>
    [Test]
    public async Task SoapCores_own_reader_processes_a_DTD_and_expands_its_entities()
    {
        var encoder = new SoapMessageEncoder(MessageVersion.Soap11, new UTF8Encoding(false), false, XmlDictionaryReaderQuotas.Max,
            omitXmlDeclaration: true, checkXmlCharacters: true, xmlNamespaceOverrides: null, bindingName: null, portName: null, normalizeNewLines: false);
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(Dtd + Envelope("GetReceipt", "&e;")));

        var message = await encoder.ReadMessageAsync(body, 65536, "text/xml; charset=utf-8", CancellationToken.None);
        using var reader = message.GetReaderAtBodyContents();
        var operation = reader.ReadOuterXml();

        Assert.That(operation, Does.Contain(string.Concat(Enumerable.Repeat("QUFB", 10_000))), "SoapCore expanded the entities");
    }

    public static IEnumerable<string> SoapCoreOperations() =>
        ["GetReceipt", "GetRecordHistory", "ListReceipts", "ReconcileRecords", "GetBeneficiaryBenefits"];

    /// <summary>Through the running register: a DTD on any operation SoapCore serves is refused before SoapCore reads it.</summary>
    [TestCaseSource(nameof(SoapCoreOperations))]
    public async Task A_DTD_on_an_operation_SoapCore_serves_is_refused_and_never_reaches_the_operation(string operation)
    {
        var gated = new GatedEndpoint();
        gated.Open();
        await using var register = await RunningRegister.StartAsync(configure: builder => builder.Services.AddSingleton<IAssistanceRecordService>(gated));
        var action = $"{Namespaces.Service}/{operation}";

        async Task<RawAnswer> SendAsync(string envelope)
        {
            var body = Encoding.UTF8.GetBytes(envelope);
            return await RawHttp.SendAsync(register.BaseAddress, [RawHttp.Head(register.BaseAddress, "POST", Service, RawHttp.SoapHeaders(action, body.Length)), body]);
        }

        var refused = await SendAsync(Dtd + Envelope(operation, "&e;"));
        Assert.That(refused.FaultCode, Is.EqualTo(FaultCodes.DtdProhibited), refused.ToString());
        Assert.That(refused.Body.Length, Is.LessThan(2048), "no expansion reached the answer");
        Assert.That(gated.Entered, Is.Zero, "the operation never ran");

        // The same envelope without the DTD reaches the operation: the refusal above is the DTD's.
        var served = await SendAsync(Envelope(operation, "QUFB"));
        Assert.That(served.Status, Is.EqualTo(200), served.ToString());
        Assert.That(gated.Entered, Is.EqualTo(1));
    }
}
