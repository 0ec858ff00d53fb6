using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Siuss.Contracts;
using Siuss.Service.Options;

namespace Siuss.Host.Web;

/// <summary>
/// The register's one front door, first in the pipeline, so no later piece (SoapCore included) sees a request it has
/// not admitted:
/// <list type="number">
/// <item>gives the request its correlation id (X-Correlation-Id, the receipt's IdCorrelazione, the log scope);</item>
/// <item>answers only the allow-list of <see cref="FrontDoorRoutes"/>, matched on the raw request target, so a path
/// variant (trailing slash, sub-path, case, percent-encoding, dot segments) is a 404 and another method a 405;</item>
/// <item>admits a SOAP POST only as <c>text/xml</c> in UTF-8 (415 otherwise), within the size limit, and within the
/// per-client-address bound (<see cref="LimitOptions.MaxRequestsPerClient"/>);</item>
/// <item>receives the whole body - in memory up to <see cref="SubmitFlowFastPath.InMemoryEnvelopeBytes"/>, beyond in a
/// delete-on-close temporary file - within <see cref="LimitOptions.RequestBodyTimeout"/>, before the request may take a
/// processing slot (<see cref="ConcurrencyLimitMiddleware"/>): a client that trickles its body holds a connection and a
/// little memory, never a slot. Every reader after it reads the same complete bytes, whatever the TCP or HTTP framing.</item>
/// </list>
/// Every refusal is a SOAP fault through <see cref="SoapFault"/>, with the HTTP status of its code.
/// </summary>
internal sealed class FrontDoorMiddleware(RequestDelegate next, IOptions<SiussOptions> options, TimeProvider clock, ILogger<FrontDoorMiddleware> logger)
{
    /// <summary>The key under which the correlation id is kept in <see cref="HttpContext.Items"/>.</summary>
    public const string CorrelationIdKey = "Siuss.CorrelationId";

    private readonly LimitOptions _limits = options.Value.Limits;
    private readonly ConcurrentDictionary<IPAddress, int> _inProgressByClient = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        context.Items[CorrelationIdKey] = correlationId;
        context.Response.Headers["X-Correlation-Id"] = correlationId;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId });

        if (FrontDoorRoutes.Refusal(context) is { } refusal)
        {
            if (refusal.Allow is not null) context.Response.Headers.Allow = refusal.Allow;
            await SoapFault.WriteAsync(context, logger, refusal.Code, refusal.Problem);
            return;
        }
        // The web channel's forms are browser POSTs (urlencoded, multipart), read by ASP.NET Core's form reader within
        // Kestrel's body limits, and answered by its pages; the SOAP rules below are for the service path.
        if (!HttpMethods.IsPost(context.Request.Method) || FrontDoorRoutes.IsPortale(context))
        {
            await next(context);
            return;
        }

        if (!IsSoap11Utf8(context.Request.ContentType))
        {
            await SoapFault.WriteAsync(context, logger, FaultCodes.UnsupportedMediaType,
                "A SOAP 1.1 request is sent with Content-Type text/xml; charset=utf-8.");
            return;
        }
        if (context.Request.ContentLength > _limits.MaxRequestBytes)
        {
            await SoapFault.WriteAsync(context, logger, FaultCodes.RequestTooLarge, $"The request is larger than {_limits.MaxRequestBytes} bytes.");
            return;
        }

        var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (!EnterClient(client))
        {
            await SoapFault.WriteAsync(context, logger, FaultCodes.ClientBusy,
                $"This client address already has {_limits.MaxRequestsPerClient} requests in progress; retry when one is answered.");
            return;
        }
        try
        {
            if (await ReceiveBodyAsync(context))
                await next(context);
        }
        finally
        {
            LeaveClient(client);
        }
    }

    // The media type of SOAP 1.1, with no charset (UTF-8 by the XML rules) or charset=utf-8: the bytes every reader
    // after this one decodes the same way. SOAP 1.2, multipart (which SoapCore would open), JSON, UTF-16 are refused.
    private static bool IsSoap11Utf8(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
        && (media.Charset.Length == 0 || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private bool EnterClient(IPAddress client)
    {
        if (_limits.MaxRequestsPerClient <= 0) return true;
        int now = _inProgressByClient.AddOrUpdate(client, 1, (_, n) => n + 1);
        if (now <= _limits.MaxRequestsPerClient) return true;
        LeaveClient(client);
        return false;
    }

    private void LeaveClient(IPAddress client)
    {
        if (_limits.MaxRequestsPerClient <= 0) return;
        int now = _inProgressByClient.AddOrUpdate(client, 0, (_, n) => n - 1);
        if (now == 0) _inProgressByClient.TryRemove(new KeyValuePair<IPAddress, int>(client, 0));
    }

    // Reads the whole body into a rewindable buffer and puts it in the request's place; false when the request was
    // answered (refused) or abandoned instead.
    private async Task<bool> ReceiveBodyAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = _limits.MaxRequestBytes;

        var buffered = new FileBufferingReadStream(new ClientBody(context.Request.Body), SubmitFlowFastPath.InMemoryEnvelopeBytes,
            bufferLimit: null, () => FlowSpool.TempDirectory, ArrayPool<byte>.Shared);
        context.Response.RegisterForDisposeAsync(buffered);
        using var deadline = new CancellationTokenSource(_limits.RequestBodyTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, context.RequestAborted);
        try
        {
            await buffered.DrainAsync(linked.Token);
        }
        catch (ClientBodyException e) when (e.InnerException is Microsoft.AspNetCore.Connections.ConnectionResetException || context.RequestAborted.IsCancellationRequested)
        {
            return false; // the client went away: there is no one to answer
        }
        catch (ClientBodyException e) when (e.InnerException is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            // A chunked body with no Content-Length crossed the limit while being read.
            await SoapFault.WriteAsync(context, logger, FaultCodes.RequestTooLarge, $"The request is larger than {_limits.MaxRequestBytes} bytes.");
            return false;
        }
        catch (ClientBodyException e) when (e.InnerException is BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout })
        {
            await SoapFault.WriteAsync(context, logger, FaultCodes.RequestTimeout, "The request body arrived slower than the minimum data rate.");
            return false;
        }
        catch (ClientBodyException)
        {
            // The HTTP framing itself is broken (e.g. a chunk size that is not a number, or past 64 bits; a body cut short).
            await SoapFault.WriteAsync(context, logger, FaultCodes.RequestMalformed, "The HTTP request body is malformed (framing or chunked encoding).");
            return false;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            await SoapFault.WriteAsync(context, logger, FaultCodes.RequestTimeout,
                $"The request body was not received within {_limits.RequestBodyTimeout.TotalSeconds:0} seconds.");
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The register's own failure while keeping the body (e.g. the temporary folder is full): retryable.
            var (code, message) = SoapFault.FromException(e, logger, SoapFault.CorrelationIdOf(context));
            await SoapFault.RespondAsync(context, code, message);
            return false;
        }
        buffered.Position = 0;
        context.Request.Body = buffered;
        return true;
    }
}

/// <summary>Raised when reading the client's body failed: the client's side (framing, rate, disconnect), never the register's.</summary>
internal sealed class ClientBodyException(IOException inner) : IOException(inner.Message, inner);

/// <summary>
/// The request body as the front door reads it: a read that fails is marked as the client's (<see cref="ClientBodyException"/>),
/// so that Kestrel's plain IOException for a bad chunk ("Bad chunk size data") is told apart from a failing temporary file.
/// </summary>
internal sealed class ClientBody(Stream inner) : Stream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try { return await inner.ReadAsync(buffer, cancellationToken); }
        catch (IOException e) { throw new ClientBodyException(e); }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        try { return inner.Read(buffer, offset, count); }
        catch (IOException e) { throw new ClientBodyException(e); }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
