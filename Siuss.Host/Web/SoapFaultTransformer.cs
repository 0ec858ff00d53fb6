using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Xml;
using Siuss.Contracts;
using Namespaces = Siuss.Contracts.Namespaces;
using SoapCore;
using SoapCore.Extensibility;

namespace Siuss.Host.Web;

/// <summary>
/// Hands SoapCore the register's fault (<see cref="SoapFault.WriteFaultElement"/>). Our own faults keep their code and
/// reason (the endpoint logged them when it mapped them); anything SoapCore raised while reading the request becomes
/// <c>RequestMalformed</c>, so internal exception text never reaches a caller.
/// </summary>
public sealed class SoapFaultTransformer(ILogger<SoapFaultTransformer> logger, IHttpContextAccessor httpContext) : IFaultExceptionTransformer
{
    /// <inheritdoc />
    public Message ProvideFault(Exception exception, MessageVersion messageVersion, Message requestMessage, ConcurrentXmlNamespaceLookup xmlNamespaceManager)
    {
        string code, reason;
        if (Find<FaultException>(exception) is { } fault && fault.Code?.Namespace == Namespaces.Faults)
        {
            code = fault.Code.Name;
            reason = fault.Reason.GetMatchingTranslation().Text;
        }
        else
        {
            code = FaultCodes.RequestMalformed;
            reason = "The SOAP request could not be read: check the envelope (SOAP 1.1), the SOAPAction and the base64 payloads.";
            SoapFault.Log(logger, code, SoapFault.CorrelationIdOf(httpContext.HttpContext), exception.GetBaseException().GetType().Name, null);
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
        protected override void OnWriteBodyContents(XmlDictionaryWriter writer) => SoapFault.WriteFaultElement(writer, code, reason);
    }
}
