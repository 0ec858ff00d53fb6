using System.Security;

namespace Siuss.Host.Web;

/// <summary>
/// Serves the hand-written contract from <c>wsdl/</c> as it is (contract first): the WSDL at
/// <c>?wsdl</c> with its address pointed at this host, and the XSDs it imports at <c>?xsd=name</c>.
/// </summary>
public sealed class WsdlMiddleware(RequestDelegate next, ILogger<WsdlMiddleware> logger)
{
    /// <summary>The service path the contract describes.</summary>
    public const string ServicePath = "/AssistanceRecord.svc";
    private const string AddressPlaceholder = "http://localhost/AssistanceRecord.svc";

    private readonly string _folder = Path.Combine(AppContext.BaseDirectory, "wsdl");

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // The edge (FrontDoorRoutes) lets through only ?wsdl and ?xsd= on the exact service path.
        if (!HttpMethods.IsGet(request.Method) || request.Path != ServicePath)
        {
            await next(context);
            return;
        }

        if (request.Query.ContainsKey("wsdl") || request.QueryString.Value?.Equals("?wsdl", StringComparison.OrdinalIgnoreCase) == true)
        {
            // The Host header is the client's text: escaped before it goes into attribute values of the WSDL.
            var address = SecurityElement.Escape($"{request.Scheme}://{request.Host}{request.PathBase}{ServicePath}");
            var selfBase = address + "?xsd=";
            var text = await File.ReadAllTextAsync(Path.Combine(_folder, "AssistanceRecord.wsdl"));
            text = text.Replace(AddressPlaceholder, address, StringComparison.Ordinal)
                       .Replace("schemaLocation=\"", "schemaLocation=\"" + selfBase, StringComparison.Ordinal);
            await WriteXml(context, text);
            return;
        }

        if (request.Query.TryGetValue("xsd", out var name) && IsPublishedSchema(name.ToString()))
        {
            await WriteXml(context, await File.ReadAllTextAsync(Path.Combine(_folder, name.ToString())));
            return;
        }

        await SoapFault.WriteAsync(context, logger, Siuss.Contracts.FaultCodes.EndpointNotFound, "No such schema is published; the WSDL names the ones there are.");
    }

    // Only plain file names of schemas that ship in wsdl/: no paths, no traversal.
    private bool IsPublishedSchema(string name) =>
        name.EndsWith(".xsd", StringComparison.Ordinal)
        && name == Path.GetFileName(name)
        && File.Exists(Path.Combine(_folder, name));

    private static async Task WriteXml(HttpContext context, string text)
    {
        context.Response.ContentType = "text/xml; charset=utf-8";
        await context.Response.WriteAsync(text);
    }
}
