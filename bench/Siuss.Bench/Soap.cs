using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using Siuss.Contracts;

namespace Siuss.Bench;

/// <summary>SOAP 1.1 envelopes built once as bytes, posted with a plain HttpClient (the load driver's client).</summary>
public static class Soap
{
    public const string SubmitAction = Namespaces.Service + "/SubmitFlow";
    public const string GetReceiptAction = Namespaces.Service + "/GetReceipt";
    public const string NoopAction = NoopService.Namespace + "/Noop";

    public static byte[] SubmitFlow(byte[] trasmissione, byte[] flow) =>
        Envelope("SubmitFlow", Namespaces.Service, ("Trasmissione", trasmissione), ("Flusso", flow));

    public static byte[] Noop(byte[] trasmissione, byte[] flow) =>
        Envelope("Noop", NoopService.Namespace, ("Trasmissione", trasmissione), ("Flusso", flow));

    public static byte[] GetReceipt(byte[] richiesta) =>
        Envelope("GetReceipt", Namespaces.Service, ("Richiesta", richiesta));

    /// <summary>A document/literal wrapped request whose parts are base64Binary.</summary>
    public static byte[] Envelope(string operation, string ns, params (string Name, byte[] Value)[] parts)
    {
        var head = Encoding.UTF8.GetBytes(
            $"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><{operation} xmlns=\"{ns}\">");
        var tail = Encoding.UTF8.GetBytes($"</{operation}></s:Body></s:Envelope>");
        long size = head.Length + tail.Length;
        foreach (var (name, value) in parts) size += 2 * name.Length + 5 + Base64.GetMaxEncodedToUtf8Length(value.Length);
        var buffer = new byte[size];
        int at = 0;
        void Put(ReadOnlySpan<byte> bytes) { bytes.CopyTo(buffer.AsSpan(at)); at += bytes.Length; }
        Put(head);
        foreach (var (name, value) in parts)
        {
            Put(Encoding.UTF8.GetBytes($"<{name}>"));
            Base64.EncodeToUtf8(value, buffer.AsSpan(at), out _, out int written);
            at += written;
            Put(Encoding.UTF8.GetBytes($"</{name}>"));
        }
        Put(tail);
        return at == buffer.Length ? buffer : buffer[..at];
    }

    /// <summary>One HttpClient for the whole driver: a connection per concurrent client, no proxy, no decompression.</summary>
    public static HttpClient NewClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        EnableMultipleHttp2Connections = false,
    })
    { Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>Posts a prebuilt envelope; returns the decoded first base64 part of the answer, or the fault code.</summary>
    public static async Task<SoapAnswer> PostAsync(HttpClient http, Uri endpoint, string action, byte[] envelope, CancellationToken ct = default)
    {
        using var content = new ByteArrayContent(envelope);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{action}\"");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        return SoapAnswer.Parse(body);
    }
}

/// <summary>What came back: the decoded result document, or a SOAP fault.</summary>
public sealed record SoapAnswer(byte[]? Result, string? FaultCode, string? FaultString)
{
    public bool IsFault => FaultCode is not null;

    /// <summary>The receipt's Esito (OK, RICHIESTA_INVALIDA, ...), read by a cheap scan of the signed receipt.</summary>
    public string Esito
    {
        get
        {
            if (Result is null) return "FAULT " + FaultCode;
            var span = Result.AsSpan();
            var open = "<Esito>"u8;
            int i = span.IndexOf(open);
            if (i < 0) return "?";
            var rest = span[(i + open.Length)..];
            int end = rest.IndexOf((byte)'<');
            return end < 0 ? "?" : Encoding.UTF8.GetString(rest[..end]);
        }
    }

    public static SoapAnswer Parse(byte[] body)
    {
        using var stream = new MemoryStream(body, writable: false);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        int depth = -1;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            if (reader.LocalName == "Fault")
            {
                string? code = null, text = null;
                while (reader.Read())
                {
                    if (reader.NodeType != XmlNodeType.Element) continue;
                    if (reader.LocalName == "faultcode") code = reader.ReadElementContentAsString();
                    if (reader.LocalName == "faultstring") text = reader.ReadElementContentAsString();
                }
                return new SoapAnswer(null, code ?? "?", text);
            }
            if (reader.LocalName == "Body") { depth = reader.Depth; continue; }
            // Body > wrapper > first part
            if (depth >= 0 && reader.Depth == depth + 2)
            {
                using var decoded = new MemoryStream();
                var chunk = new byte[64 * 1024];
                int n;
                while ((n = reader.ReadElementContentAsBase64(chunk, 0, chunk.Length)) > 0) decoded.Write(chunk, 0, n);
                return new SoapAnswer(decoded.ToArray(), null, null);
            }
        }
        return new SoapAnswer(null, "NoResult", "The answer carried no result element.");
    }
}
