using System.Buffers;
using System.Buffers.Text;
using System.Xml;
using Microsoft.Extensions.Options;
using Siuss.Contracts;
using Siuss.Service.Flows;
using Siuss.Service.Options;
using Siuss.Service.Submission;

namespace Siuss.Host.Web;

/// <summary>
/// Serves SubmitFlow without SoapCore, whose XmlSerializer would hold the envelope and decode the flow into one
/// array (a 50 MB flow cost ~12x its size before the register did anything). One streaming pass over the request
/// applies the same <see cref="EnvelopeRules"/> as <see cref="EnvelopeGuardMiddleware"/>, takes the small signed
/// Trasmissione into memory (bounded) and decodes the Flusso chunk by chunk into a <see cref="FlowSpool"/> while
/// hashing it; only a whole, well-formed envelope reaches the pipeline. Faults are the same plain SOAP 1.1 faults
/// (<see cref="SoapFault"/>), the answer the same SubmitFlowResponse envelope, written straight to the response.
/// </summary>
public sealed class SubmitFlowFastPath(RequestDelegate next, IOptions<SiussOptions> options, ILogger<SubmitFlowFastPath> logger)
{
    private const string Operation = "SubmitFlow";
    private readonly int _maxSignedBytes = options.Value.Limits.MaxSignedDocumentBytes;

    public async Task InvokeAsync(HttpContext context, SubmissionService submissions)
    {
        // The edge admitted only a POST to the service path, whole and buffered.
        if (EnvelopeRules.OperationOf(context.Request) != Operation)
        {
            await next(context);
            return;
        }

        var correlationId = SoapFault.CorrelationIdOf(context);
        var ct = context.RequestAborted;
        byte[]? trasmissione = null;
        ReceivedFlow? flow = null;
        try
        {
            string? problem;
            string code = FaultCodes.RequestMalformed;
            try
            {
                (problem, trasmissione, flow) = await ReadEnvelopeAsync(context.Request.Body, context.Request.ContentLength, ct);
            }
            catch (Exception e) when (EnvelopeRules.Unreadable(e) is { } refusal)
            {
                (code, problem) = refusal;
            }
            catch (FormatException e)
            {
                problem = e.Message;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The body is already whole in the edge's buffer, so this is the register's failure (e.g. the
                // temporary folder is full): a retryable fault, never a bare 500.
                var (faultCode, message) = SoapFault.FromException(e, logger, correlationId);
                await SoapFault.RespondAsync(context, faultCode, message);
                return;
            }
            if (problem is not null)
            {
                await SoapFault.WriteAsync(context, logger, code, problem);
                return;
            }

            byte[] ricevuta;
            try
            {
                ricevuta = await submissions.SubmitAsync(trasmissione, flow, correlationId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var (faultCode, message) = SoapFault.FromException(e, logger, correlationId);
                await SoapFault.RespondAsync(context, faultCode, message);
                return;
            }
            await WriteResponseAsync(context.Response, ricevuta, ct);
        }
        finally
        {
            if (flow is not null) await flow.DisposeAsync();
        }
    }

    /// <summary>
    /// Envelopes declaring at most this many bytes (the cooperative channel's one-record flows are ~12 KB) are read
    /// into pooled memory first and parsed synchronously: that spares the 64 KB character buffer of an async
    /// XmlReader and the 48 KB of a large StreamReader on every request. Larger or chunked bodies are streamed.
    /// </summary>
    public const int InMemoryEnvelopeBytes = 64 * 1024;

    // Returns the first problem with the envelope, or the two payloads (null when absent) of a well-formed one.
    private async Task<(string? Problem, byte[]? Trasmissione, ReceivedFlow? Flow)> ReadEnvelopeAsync(Stream body, long? contentLength, CancellationToken ct)
    {
        if (contentLength is not (> 0 and <= InMemoryEnvelopeBytes))
            return await ParseEnvelopeAsync(body, inMemory: false, ct);

        var buffered = ArrayPool<byte>.Shared.Rent((int)contentLength.Value);
        try
        {
            // Kestrel ends the body at its Content-Length, so the buffer holds all of it.
            int length = 0, read;
            while (length < contentLength && (read = await body.ReadAsync(buffered.AsMemory(length, (int)contentLength.Value - length), ct)) > 0)
                length += read;
            using var inMemory = new MemoryStream(buffered, 0, length, writable: false);
            return await ParseEnvelopeAsync(inMemory, inMemory: true, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffered);
        }
    }

    // One pass over the envelope; synchronous XML reading when the body is already in memory, async otherwise.
    private async Task<(string? Problem, byte[]? Trasmissione, ReceivedFlow? Flow)> ParseEnvelopeAsync(Stream body, bool inMemory, CancellationToken ct)
    {
        var rules = new EnvelopeRules(Operation);
        byte[]? trasmissione = null;
        ReceivedFlow? flow = null;
        try
        {
            // From memory a small decoding buffer does, as decoding a chunk costs no wait for the network.
            using var reader = EnvelopeRules.CreateReader(body, async: !inMemory, bufferSize: inMemory ? 1024 : 16 * 1024);
            bool advance = true;
            while (!advance || await XmlReaderSteps.NextAsync(reader))
            {
                ct.ThrowIfCancellationRequested();
                advance = true;
                if (rules.Check(reader) is { } problem) return (problem, null, null);
                if (!rules.IsPayload(reader) || reader.NamespaceURI != Namespaces.Service) continue;

                // Other elements in the operation are skipped as XmlSerializer skips them.
                if (reader.LocalName is not ("Trasmissione" or "Flusso")) continue;
                if ((reader.LocalName == "Trasmissione" ? trasmissione is not null : flow is not null))
                    return ($"The SubmitFlow element carries {reader.LocalName} more than once.", null, null);

                await using var content = new Base64ContentStream(reader, reader.LocalName);
                if (reader.LocalName == "Trasmissione")
                    trasmissione = await ReadBoundedAsync(content, _maxSignedBytes + 1, ct);
                else
                    flow = await FlowSpool.ReceiveAsync(content, ct);
                // The reader now stands on the node after the text: check it before moving on.
                advance = !content.ConsumedReader;
            }
            if (rules.Finish() is { } missing) return (missing, null, null);
            var result = (default(string), trasmissione, flow);
            flow = null;
            return result;
        }
        finally
        {
            if (flow is not null) await flow.DisposeAsync();
        }
    }

    // The signed header is small; past the limit only its size matters (the pipeline refuses it as too large),
    // so the rest is decoded - to validate it - and dropped.
    // Decoded straight into a pooled buffer that doubles while the header grows: only the exact-size copy is allocated.
    private static async Task<byte[]> ReadBoundedAsync(Base64ContentStream content, int limit, CancellationToken ct)
    {
        var kept = ArrayPool<byte>.Shared.Rent(Math.Min(limit, 16 * 1024));
        byte[]? dropped = null; // past the limit the rest is read into this and forgotten
        int length = 0;
        try
        {
            while (true)
            {
                int capacity = Math.Min(limit, kept.Length);
                if (length == capacity && capacity < limit)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, 2L * kept.Length));
                    kept.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(kept);
                    kept = larger;
                    continue;
                }
                var target = length < capacity ? kept.AsMemory(length, capacity - length) : (dropped ??= ArrayPool<byte>.Shared.Rent(8192));
                int read = await content.ReadAsync(target, ct);
                if (read == 0) break;
                if (length < capacity) length += read;
            }
            return kept.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(kept);
            if (dropped is not null) ArrayPool<byte>.Shared.Return(dropped);
        }
    }

    private static readonly byte[] ResponseStart =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"u8.ToArray()
        .Concat(System.Text.Encoding.UTF8.GetBytes($"<SubmitFlowResponse xmlns=\"{Namespaces.Service}\"><Ricevuta>")).ToArray();
    private static readonly byte[] ResponseEnd = "</Ricevuta></SubmitFlowResponse></s:Body></s:Envelope>"u8.ToArray();

    // The receipt goes out as base64 encoded a slice at a time into the response, never as one string.
    private static async Task WriteResponseAsync(HttpResponse response, byte[] ricevuta, CancellationToken ct)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/xml; charset=utf-8";
        response.ContentLength = ResponseStart.Length + Base64.GetMaxEncodedToUtf8Length(ricevuta.Length) + ResponseEnd.Length;
        await response.Body.WriteAsync(ResponseStart, ct);
        const int slice = 48 * 1024; // a multiple of 3, so slices encode without padding until the last
        var encoded = ArrayPool<byte>.Shared.Rent(Base64.GetMaxEncodedToUtf8Length(slice));
        try
        {
            for (int offset = 0; offset < ricevuta.Length; offset += slice)
            {
                var part = ricevuta.AsSpan(offset, Math.Min(slice, ricevuta.Length - offset));
                Base64.EncodeToUtf8(part, encoded, out _, out int written);
                await response.Body.WriteAsync(encoded.AsMemory(0, written), ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
        await response.Body.WriteAsync(ResponseEnd, ct);
    }
}
