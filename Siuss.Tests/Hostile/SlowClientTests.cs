using System.Net;
using System.Net.Sockets;
using System.Text;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Tests.Support;

namespace Siuss.Tests.Hostile;

/// <summary>
/// Slow and abusive clients cannot starve the others: bodies that trickle in hold a connection, never a processing
/// slot; one client address has a bound; bodies and headers have deadlines. The slow senders connect from 127.0.0.2,
/// the well-behaved client from 127.0.0.1: two addresses, as on a real network.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class SlowClientTests
{
    private static readonly IPAddress Slow = IPAddress.Parse("127.0.0.2");

    /// <summary>The bound this test states for a normal client's answer while 200 slow senders run (measured: 13-100 ms).</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(15);

    /// <summary>A sender that announces a large body and sends it at about 500 B/s (above Kestrel's minimum rate) until stopped.</summary>
    private sealed class SlowSender : IAsyncDisposable
    {
        private readonly TcpClient _client;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sending;
        public RawAnswer? Answer { get; private set; }

        private readonly Uri _address;

        private SlowSender(TcpClient client, Uri address)
        {
            _client = client;
            _address = address;
            _sending = Task.Run(SendAsync);
        }

        public static async Task<SlowSender> StartAsync(Uri address, IPAddress from) => new(await RawHttp.ConnectAsync(address, from), address);

        /// <summary>True once the register answered (it refused or timed the body out).</summary>
        public bool Answered => Answer is not null;

        private async Task SendAsync()
        {
            var stream = _client.GetStream();
            var reading = Task.Run(async () => Answer = await RawHttp.ReadAnswerAsync(stream));
            try
            {
                await stream.WriteAsync(RawHttp.Head(_address, "POST", "/AssistanceRecord.svc",
                    RawHttp.SoapHeaders("urn:siuss:assistance-record:v1/SubmitFlow", 1_000_000)), _stop.Token);
                var slice = Encoding.ASCII.GetBytes(new string('A', 100));
                await stream.WriteAsync("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"u8.ToArray(), _stop.Token);
                while (!_stop.IsCancellationRequested && !reading.IsCompleted)
                {
                    await Task.Delay(200, _stop.Token);
                    await stream.WriteAsync(slice, _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException) { }
            await reading.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
        }

        public async Task<RawAnswer> WaitForAnswerAsync(TimeSpan within)
        {
            var deadline = DateTime.UtcNow + within;
            while (Answer is null && DateTime.UtcNow < deadline) await Task.Delay(50);
            return Answer ?? throw new TimeoutException("no answer");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _client.Dispose();
            await _sending.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
        }
    }

    [Test]
    public async Task Two_hundred_slow_senders_do_not_keep_a_normal_client_from_being_answered_and_memory_stays_bounded()
    {
        await using var register = await RunningRegister.StartAsync();
        var roma = TestCertificates.Rsa();
        await register.RegisterAgencyAsync("H501", roma);
        var certificate = await register.DownloadReceiptCertificateAsync();
        await using var client = register.NewClient();
        // One submission first, so the heap measured below holds what the slow senders cost, not one-time set-up.
        var warmUp = new FlowBuilder().Beneficiario();
        await client.SubmitAsync(SignedDocuments.SignTrasmissione(warmUp.ToBytes(), "H501", warmUp.Nome, roma), warmUp.ToBytes());
        long before = GC.GetTotalMemory(forceFullCollection: true);

        var senders = new List<SlowSender>();
        try
        {
            for (int i = 0; i < 200; i++) senders.Add(await SlowSender.StartAsync(register.BaseAddress, Slow));
            await Task.Delay(TimeSpan.FromSeconds(2)); // every sender has its body under way, far more than the 64 slots

            for (int i = 0; i < 3; i++)
            {
                var flow = new FlowBuilder().Beneficiario();
                var bytes = flow.ToBytes();
                var started = System.Diagnostics.Stopwatch.StartNew();
                var submit = client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, roma), bytes);
                Assert.That(await Task.WhenAny(submit, Task.Delay(AnswerBound)), Is.SameAs(submit), $"answered within {AnswerBound}");
                TestContext.Out.WriteLine($"submission {i + 1} answered in {started.ElapsedMilliseconds} ms while 200 slow senders run");
                Assert.That(ReceiptVerifier.Verify(await submit, certificate).Ricevuta.Esito, Is.EqualTo(Esiti.Ok));
            }
            long during = GC.GetTotalMemory(forceFullCollection: true);
            TestContext.Out.WriteLine($"managed heap grew by {(during - before) / 1024} KiB");

            Assert.That(senders.Count(s => s.Answered), Is.Zero, "the slow senders were not refused: they simply do not block anyone");
            // Each trickling body is at most 64 KiB in memory (here a few KB each); 200 of them stay far under this.
            Assert.That(during - before, Is.LessThan(64L * 1024 * 1024), "memory stays bounded");
        }
        finally
        {
            await Task.WhenAll(senders.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    [Test]
    public async Task One_client_address_past_its_bound_gets_ClientBusy_while_another_address_is_served()
    {
        await using var register = await RunningRegister.StartAsync(new Dictionary<string, string> { ["Siuss:Limits:MaxRequestsPerClient"] = "4" });
        var senders = new List<SlowSender>();
        try
        {
            for (int i = 0; i < 4; i++) senders.Add(await SlowSender.StartAsync(register.BaseAddress, Slow));
            var body = GatedEndpoint.GetReceiptEnvelope();

            // The fifth from the same address: refused at once, whatever it sends. Until the four are in, a probe may be
            // admitted, and a sender that arrives beside a probe may be the one refused: it is replaced, and the probe repeated.
            RawAnswer fifth;
            int tries = 0;
            while (true)
            {
                await Task.Delay(20);
                for (int i = 0; i < senders.Count; i++)
                    if (senders[i].Answered)
                    {
                        await senders[i].DisposeAsync();
                        senders[i] = await SlowSender.StartAsync(register.BaseAddress, Slow);
                    }
                fifth = await RawHttp.SendAsync(register.BaseAddress,
                    [RawHttp.Head(register.BaseAddress, "POST", "/AssistanceRecord.svc", RawHttp.SoapHeaders(GatedEndpoint.GetReceiptAction, body.Length)), body], localAddress: Slow);
                if (fifth.FaultCode != FaultCodes.XmlMalformed || ++tries == 500) break;
            }
            var other = await RawHttp.SendAsync(register.BaseAddress,
                [RawHttp.Head(register.BaseAddress, "POST", "/AssistanceRecord.svc", RawHttp.SoapHeaders(GatedEndpoint.GetReceiptAction, body.Length)), body]);

            Assert.That(fifth.Status, Is.EqualTo(429), fifth.ToString());
            Assert.That(fifth.FaultCode, Is.EqualTo(FaultCodes.ClientBusy));
            Assert.That(fifth.Headers["Retry-After"], Is.EqualTo("1"));
            // The other address reaches the service (an unsigned query is refused by the pipeline, not by the edge).
            Assert.That(other.FaultCode, Is.EqualTo(FaultCodes.XmlMalformed), other.ToString());
        }
        finally
        {
            await Task.WhenAll(senders.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    [Test]
    public async Task A_body_that_does_not_arrive_within_the_body_deadline_gets_RequestTimeout()
    {
        await using var register = await RunningRegister.StartAsync(new Dictionary<string, string> { ["Siuss:Limits:RequestBodyTimeout"] = "00:00:01" });
        await using var sender = await SlowSender.StartAsync(register.BaseAddress, Slow);
        var answer = await sender.WaitForAnswerAsync(TimeSpan.FromSeconds(60));
        Assert.That(answer.Status, Is.EqualTo(408), answer.ToString());
        Assert.That(answer.FaultCode, Is.EqualTo(FaultCodes.RequestTimeout));
        Assert.That(await register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.Zero);
    }

    [Test]
    public async Task Headers_that_do_not_arrive_within_the_header_deadline_close_the_connection()
    {
        await using var register = await RunningRegister.StartAsync(new Dictionary<string, string> { ["Siuss:Limits:RequestHeadersTimeout"] = "00:00:01" });
        using var client = await RawHttp.ConnectAsync(register.BaseAddress, Slow);
        var stream = client.GetStream();
        await stream.WriteAsync("POST /AssistanceRecord.svc HTTP/1.1\r\nHost: x\r\nContent-Ty"u8.ToArray());
        // Kestrel answers 408 and closes: the read ends instead of waiting for ever.
        var answer = await RawHttp.ReadAnswerAsync(stream).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(answer.Status, Is.AnyOf(0, 408), answer.ToString());
    }
}
