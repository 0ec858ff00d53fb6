using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Xml;
using Siuss.Contracts;
using Namespaces = Siuss.Contracts.Namespaces;
using SoapCore;
using SoapCore.Extensibility;

namespace Siuss.Host.Web;

/// <summary>
/// Writes every fault as a plain SOAP 1.1 fault: an unqualified <c>faultcode</c> holding a QName in
/// <see cref="Namespaces.Faults"/> and a <c>faultstring</c>. Our own faults keep their code and reason;
/// anything SoapCore raised while reading the request becomes <c>RequestMalformed</c>, so internal
/// exception text never reaches a caller.
/// </summary>
public sealed class SoapFaultTransformer(ILogger<SoapFaultTransformer> logger) : IFaultExceptionTransformer
{
    /// <inheritdoc />
    public Message ProvideFault(Exception exception, MessageVersion messageVersion, Message requestMessage, ConcurrentXmlNamespaceLookup xmlNamespaceManager)
    {
        var fault = Find<FaultException>(exception);
        string code, reason;
        if (fault is not null && fault.Code?.Namespace == Namespaces.Faults)
        {
            code = fault.Code.Name;
            reason = fault.Reason.GetMatchingTranslation().Text;
        }
        else if (Find<ProhibitedXmlException>(exception) is { } prohibited)
        {
            code = prohibited.IsDtd ? FaultCodes.DtdProhibited : FaultCodes.RequestMalformed;
            reason = prohibited.Message;
        }
        else
        {
            logger.LogWarning("Unreadable SOAP request: {Error}", exception.GetBaseException().GetType().Name);
            code = FaultCodes.RequestMalformed;
            reason = "The SOAP request could not be read: check the envelope (SOAP 1.1), the SOAPAction and the base64 payloads.";
        }
        return Message.CreateMessage(messageVersion, null, new FaultWriter(code, reason));
    }

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }

    private sealed class FaultWriter(string code, string reason) : BodyWriter(isBuffered: true)
    {
        protected override void OnWriteBodyContents(XmlDictionaryWriter writer)
        {
            writer.WriteStartElement("Fault", "http://schemas.xmlsoap.org/soap/envelope/");
            writer.WriteStartElement("faultcode", "");
            writer.WriteAttributeString("xmlns", "f", null, Namespaces.Faults);
            writer.WriteString("f:" + code);
            writer.WriteEndElement();
            writer.WriteStartElement("faultstring", "");
            writer.WriteAttributeString("xml", "lang", null, "en");
            writer.WriteString(reason);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
    }
}
