using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Siuss.Contracts;
using Siuss.Tests.Support;

namespace Siuss.Tests.Hostile;

/// <summary>
/// The per-connection bound: one connection has at most one request in processing, so one client cannot fill the
/// processing slots over a single connection. HTTP/1.1 pipelining is answered one request after another; HTTP/2 is
/// limited to one stream per connection (<c>Http2.MaxStreamsPerConnection = 1</c>). Each test holds the first request
/// of a connection in processing (<see cref="GatedEndpoint"/>) with two slots and no queue, and shows that the
/// connection's next request - already sent - takes no slot: a request on another connection gets the second slot, and
/// a third connection finds both taken. Without the bound the connection's second request would take the second slot
/// first and the other connection would be refused.
/// </summary>
[TestFixture]
public sealed class ConnectionBoundTests
{
    private const string Service = "/AssistanceRecord.svc";
    private static readonly IPAddress Second = IPAddress.Parse("127.0.0.2"), Third = IPAddress.Parse("127.0.0.3");

    private static readonly Dictionary<string, string> TwoSlotsNoQueue = new()
    {
        ["Siuss:Limits:MaxConcurrentRequests"] = "2",
        ["Siuss:Limits:MaxQueuedRequests"] = "0",
    };

    [Test, CancelAfter(60_000)]
    public async Task Pipelined_HTTP11_requests_on_one_connection_are_processed_one_after_another_and_hold_one_slot(CancellationToken ct)
    {
        var gated = new GatedEndpoint();
        await using var register = await RunningRegister.StartAsync(TwoSlotsNoQueue, builder => builder.Services.AddSingleton<IAssistanceRecordService>(gated));
        var body = GatedEndpoint.GetReceiptEnvelope();
        byte[] Request(bool keepAlive) =>
            [.. RawHttp.Head(register.BaseAddress, "POST", Service, RawHttp.SoapHeaders(GatedEndpoint.GetReceiptAction, body.Length), keepAlive), .. body];

        // Two whole requests in one write: the second is at the register before the first is even processed.
        using var pipelining = await RawHttp.ConnectAsync(register.BaseAddress);
        var stream = pipelining.GetStream();
        await stream.WriteAsync((byte[])[.. Request(keepAlive: true), .. Request(keepAlive: false)], ct);
        await WaitUntilAsync(() => gated.Entered == 1, ct);

        var other = RawHttp.SendAsync(register.BaseAddress, [Request(keepAlive: false)], localAddress: Second);
        await WaitUntilAsync(() => gated.Entered == 2 || other.IsCompleted, ct);
        Assert.That(other.IsCompleted, Is.False, "another connection got the second slot: the pipelined request holds none");
        var third = await RawHttp.SendAsync(register.BaseAddress, [Request(keepAlive: false)], localAddress: Third);
        Assert.That(third.FaultCode, Is.EqualTo(FaultCodes.ServerBusy), "both slots are held, by one request per connection");
        Assert.That(gated.Entered, Is.EqualTo(2), "the pipelined request was not processed beside the first");

        gated.Open();
        var answers = Encoding.ASCII.GetString((await ReadToEndAsync(stream, ct)).ToArray());
        Assert.That(answers.Split("HTTP/1.1 200 OK\r\n").Length - 1, Is.EqualTo(2), "both pipelined requests are answered, in turn");
        Assert.That((await other).Status, Is.EqualTo(200));
        Assert.That(gated.Entered, Is.EqualTo(3));
    }

    [Test, CancelAfter(60_000)]
    public async Task An_HTTP2_connection_has_one_stream_in_processing_at_a_time(CancellationToken ct)
    {
        var gated = new GatedEndpoint();
        // HTTP/2 without TLS (prior knowledge) so the test reaches Kestrel's HTTP/2 limits on loopback; TLS deployments share them.
        await using var register = await RunningRegister.StartAsync(
            new Dictionary<string, string>(TwoSlotsNoQueue) { ["Kestrel:EndpointDefaults:Protocols"] = "Http2" },
            builder => builder.Services.AddSingleton<IAssistanceRecordService>(gated));
        using var first = Http2Client(register.BaseAddress);
        using var second = Http2Client(register.BaseAddress);
        using var third = Http2Client(register.BaseAddress);

        var held = SendAsync(first, ct);
        await WaitUntilAsync(() => gated.Entered == 1 || held.IsCompleted, ct);
        Assert.That(held.IsCompleted, Is.False, () => $"the first request is held in processing, not answered: {held.Result}");
        // The same connection again: the register allows it one stream, so the client keeps this one waiting.
        var sameConnection = SendAsync(first, ct);
        var other = SendAsync(second, ct);
        await WaitUntilAsync(() => gated.Entered == 2 || other.IsCompleted || sameConnection.IsCompleted, ct);
        Assert.That(other.IsCompleted || sameConnection.IsCompleted, Is.False, "nobody was refused: the second slot went to the other connection");
        var busy = await SendAsync(third, ct);
        Assert.That(busy.Code, Is.EqualTo(FaultCodes.ServerBusy), "both slots are held, by one stream per connection");
        Assert.That(sameConnection.IsCompleted, Is.False);
        Assert.That(gated.Entered, Is.EqualTo(2));

        gated.Open();
        Assert.That((await Task.WhenAll(held, sameConnection, other)).Select(a => a.Status), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(gated.Entered, Is.EqualTo(3));
    }

    // One client, one connection: the handler does not open a second HTTP/2 connection when the first is full.
    private static HttpClient Http2Client(Uri baseAddress) =>
        new(new SocketsHttpHandler { EnableMultipleHttp2Connections = false }) { BaseAddress = baseAddress };

    private static async Task<(HttpStatusCode Status, string Code)> SendAsync(HttpClient http, CancellationToken ct)
    {
        using var content = new ByteArrayContent(GatedEndpoint.GetReceiptEnvelope());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "AssistanceRecord.svc")
        {
            Content = content, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add("SOAPAction", $"\"{GatedEndpoint.GetReceiptAction}\"");
        using var response = await http.SendAsync(request, ct);
        Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
        return (response.StatusCode, RawHttp.FaultCodeOf(await response.Content.ReadAsByteArrayAsync(ct)));
    }

    private static async Task<MemoryStream> ReadToEndAsync(Stream stream, CancellationToken ct)
    {
        var all = new MemoryStream();
        await stream.CopyToAsync(all, ct);
        return all;
    }

    // Waits for a state the register reaches on its own; the test's CancelAfter ends a wait that never comes true.
    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition()) await Task.Delay(10, ct);
    }
}
