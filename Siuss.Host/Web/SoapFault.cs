using System.Security;
using Siuss.Contracts;

namespace Siuss.Host.Web;

/// <summary>Writes a SOAP 1.1 fault for requests refused before they reach SoapCore (size, shape).</summary>
public static class SoapFault
{
    /// <summary>Writes the fault with HTTP 500, as SOAP 1.1 requires, or 413/503 when given.</summary>
    public static async Task WriteAsync(HttpContext context, string code, string message, int statusCode = StatusCodes.Status500InternalServerError)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/xml; charset=utf-8";
        var body =
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>" +
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>" +
            $"<faultcode xmlns:f=\"{Namespaces.Faults}\">f:{code}</faultcode>" +
            $"<faultstring xml:lang=\"en\">{SecurityElement.Escape(message)}</faultstring>" +
            "</s:Fault></s:Body></s:Envelope>";
        await context.Response.WriteAsync(body);
    }
}
