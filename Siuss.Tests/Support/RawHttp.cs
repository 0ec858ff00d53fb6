using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Siuss.Contracts;

namespace Siuss.Tests.Support;

/// <summary>One answer read off the wire: status, headers, body and the fault code's local name ("" when none).</summary>
public sealed record RawAnswer(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body, string FaultCode)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);
    public override string ToString() => $"HTTP {Status} {FaultCode}: {(Text.Length > 300 ? Text[..300] : Text)}";
}

/// <summary>
/// HTTP/1.1 written byte by byte on a TCP socket, as an attacker or an odd proxy writes it: exact request targets
/// (no client library normalises the path), chosen splits of the bytes across writes, chunked bodies, a chosen local
/// address (127.0.0.x) to stand for another client.
/// </summary>
public static class RawHttp
{
    /// <summary>The request head: request line, Host, the given headers, Connection: close unless <paramref name="keepAlive"/>.</summary>
    public static byte[] Head(Uri baseAddress, string method, string target, IEnumerable<(string Name, string Value)> headers, bool keepAlive = false)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append(keepAlive ? "\r\n" : "Connection: close\r\n\r\n");
        return Encoding.ASCII.GetBytes(head.ToString());
    }

    /// <summary>The headers of a SOAP POST with a Content-Length.</summary>
    public static IEnumerable<(string, string)> SoapHeaders(string? action, int length, string? contentType = "text/xml; charset=utf-8")
    {
        if (contentType is not null) yield return ("Content-Type", contentType);
        if (action is not null) yield return ("SOAPAction", $"\"{action}\"");
        yield return ("Content-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Connects from <paramref name="localAddress"/> (default 127.0.0.1) to the register.</summary>
    public static async Task<TcpClient> ConnectAsync(Uri baseAddress, IPAddress? localAddress = null)
    {
        var client = new TcpClient(new IPEndPoint(localAddress ?? IPAddress.Loopback, 0)) { NoDelay = true };
        await client.ConnectAsync(IPAddress.Parse(baseAddress.Host), baseAddress.Port);
        return client;
    }

    /// <summary>
    /// Sends <paramref name="parts"/> as separate writes - each flushed and given a moment to leave as its own segment -
    /// then reads the answer to the end (the server closes: Connection: close).
    /// </summary>
    public static async Task<RawAnswer> SendAsync(Uri baseAddress, IEnumerable<byte[]> parts, bool pauseBetweenParts = true, IPAddress? localAddress = null)
    {
        using var client = await ConnectAsync(baseAddress, localAddress);
        var stream = client.GetStream();
        bool first = true;
        try
        {
            foreach (var part in parts)
            {
                if (!first && pauseBetweenParts) await Task.Delay(1);
                first = false;
                await stream.WriteAsync(part);
                await stream.FlushAsync();
            }
        }
        catch (IOException)
        {
            // The server answered and closed before taking all of it (e.g. a refusal before the body): read the answer.
        }
        return await ReadAnswerAsync(stream);
    }

    /// <summary>Reads one HTTP/1.1 answer to the end of the connection and parses it.</summary>
    public static async Task<RawAnswer> ReadAnswerAsync(Stream stream)
    {
        using var all = new MemoryStream();
        try { await stream.CopyToAsync(all, bufferSize: 4096); } // small: tests keep hundreds of these waiting
        catch (IOException) { /* reset after the answer: what was read is the answer */ }
        return Parse(all.ToArray());
    }

    /// <summary>A body sent with Transfer-Encoding: chunked, cut in the given chunk sizes, each chunk a part of its own.</summary>
    public static IEnumerable<byte[]> Chunked(byte[] body, IEnumerable<int> sizes)
    {
        int offset = 0;
        foreach (var size in sizes)
        {
            if (offset >= body.Length) break;
            int n = Math.Min(size, body.Length - offset);
            yield return [.. Encoding.ASCII.GetBytes($"{n:x}\r\n"), .. body.AsSpan(offset, n), .. "\r\n"u8];
            offset += n;
        }
        if (offset < body.Length)
            yield return [.. Encoding.ASCII.GetBytes($"{body.Length - offset:x}\r\n"), .. body.AsSpan(offset), .. "\r\n"u8];
        yield return "0\r\n\r\n"u8.ToArray();
    }

    private static RawAnswer Parse(byte[] raw)
    {
        int end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) return new RawAnswer(0, new Dictionary<string, string>(), raw, "");
        var lines = Encoding.ASCII.GetString(raw, 0, end).Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = raw.AsSpan(end + 4).ToArray();
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = Dechunk(body);
        return new RawAnswer(status, headers, body, FaultCodeOf(body));
    }

    private static byte[] Dechunk(byte[] body)
    {
        using var result = new MemoryStream();
        int i = 0;
        while (i < body.Length)
        {
            int lineEnd = body.AsSpan(i).IndexOf("\r\n"u8);
            if (lineEnd < 0) break;
            var sizeText = Encoding.ASCII.GetString(body, i, lineEnd).Split(';')[0];
            int size = Convert.ToInt32(sizeText, 16);
            i += lineEnd + 2;
            if (size == 0) break;
            result.Write(body, i, Math.Min(size, body.Length - i));
            i += size + 2;
        }
        return result.ToArray();
    }

    /// <summary>The local name of a register fault code in the body, or "" when the body is not a register fault.</summary>
    public static string FaultCodeOf(byte[] body)
    {
        try
        {
            var xml = XDocument.Parse(Encoding.UTF8.GetString(body));
            var faultcode = xml.Descendants("faultcode").SingleOrDefault();
            if (faultcode is null) return "";
            var parts = faultcode.Value.Split(':');
            return parts.Length == 2 && faultcode.GetNamespaceOfPrefix(parts[0])?.NamespaceName == Namespaces.Faults ? parts[1] : "";
        }
        catch (System.Xml.XmlException)
        {
            return "";
        }
    }
}
