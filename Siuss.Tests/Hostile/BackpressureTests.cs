using System.Net;
using System.ServiceModel;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Tests.Support;

namespace Siuss.Tests.Hostile;

/// <summary>Limits that keep one client from starving the others: concurrent requests per host, submissions per body.</summary>
[TestFixture]
public sealed class BackpressureTests
{
    [Test]
    public async Task Past_the_concurrent_request_cap_and_its_queue_a_request_gets_ServerBusy_503_and_the_admitted_and_queued_ones_complete()
    {
        var gated = new GatedEndpoint();
        await using var register = await RunningRegister.StartAsync(new Dictionary<string, string>
        {
            ["Siuss:Limits:MaxConcurrentRequests"] = "1",
            ["Siuss:Limits:MaxQueuedRequests"] = "1",
        }, builder => builder.Services.AddSingleton<IAssistanceRecordService>(gated));
        using var http = new HttpClient { BaseAddress = register.BaseAddress };
        var envelope = GatedEndpoint.GetReceiptEnvelope();

        // The first request is admitted and held in processing.
        var first = SendAsync(http, new ByteArrayContent(envelope));
        while (gated.Entered < 1) await Task.Delay(10);
        // Of three more, one takes the only queue place and two find slot and queue full: those two are answered at once.
        var more = Enumerable.Range(0, 3).Select(_ => SendAsync(http, new ByteArrayContent(envelope))).ToList();
        var refused = new List<Task<(HttpStatusCode Status, string Text, string? RetryAfter)>>();
        while (refused.Count < 2)
        {
            var done = await Task.WhenAny(more.Except(refused));
            refused.Add(done);
        }
        int enteredWhileHeld = gated.Entered;

        gated.Open();
        var served = await Task.WhenAll(more.Except(refused).Append(first));
        var after = await SendAsync(http, new ByteArrayContent(envelope));

        Assert.Multiple(async () =>
        {
            foreach (var busy in refused.Select(t => t.Result))
            {
                Assert.That(busy.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), busy.Text);
                Assert.That(busy.Text, Does.Contain("f:" + FaultCodes.ServerBusy));
                Assert.That(busy.RetryAfter, Is.EqualTo("1"));
            }
            Assert.That(enteredWhileHeld, Is.EqualTo(1), "one request processed at a time");
            Assert.That(served.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.OK), "the admitted and the queued requests were served");
            Assert.That(after.Status, Is.EqualTo(HttpStatusCode.OK), "the slot was given back");
            await Task.CompletedTask;
        });
    }

    [Test]
    public async Task A_body_past_its_rate_gets_RateLimited_with_nothing_stored_while_another_body_is_served()
    {
        // One token per 20 s of the register's clock: no refill happens while the test runs, however slowly.
        var clock = new AdvanceableClock();
        await using var register = await RunningRegister.StartAsync(new Dictionary<string, string>
        {
            ["Siuss:Limits:SubmissionsPerSecondPerBody"] = "0.05",
            ["Siuss:Limits:SubmissionBurstPerBody"] = "3",
        }, builder => builder.Services.AddSingleton<TimeProvider>(clock));
        var roma = TestCertificates.Rsa();
        var milano = TestCertificates.Ecdsa();
        await register.RegisterAgencyAsync("H501", roma);
        await register.RegisterAgencyAsync("F205", milano, belfiore: "F205");
        var certificate = await register.DownloadReceiptCertificateAsync();
        await using var client = register.NewClient();

        async Task<string> Submit(FlowBuilder flow, System.Security.Cryptography.X509Certificates.X509Certificate2 signer, byte[]? header = null)
        {
            var bytes = flow.ToBytes();
            var raw = await client.SubmitAsync(header ?? SignedDocuments.SignTrasmissione(bytes, flow.CodiceEnte, flow.Nome, signer), bytes);
            return ReceiptVerifier.Verify(raw, certificate).Ricevuta.Esito;
        }

        for (int i = 0; i < 3; i++)
            Assert.That(await Submit(new FlowBuilder().Beneficiario(), roma), Is.EqualTo(Esiti.Ok));
        var limited = new FlowBuilder().Beneficiario();
        var limitedHeader = SignedDocuments.SignTrasmissione(limited.ToBytes(), "H501", limited.Nome, roma);
        var submissions = await register.CountAsync("SELECT COUNT(*) FROM submissions");

        var fault = Assert.ThrowsAsync<FaultException>(() => Submit(limited, roma, limitedHeader));
        Assert.That(fault!.Code.Name, Is.EqualTo(FaultCodes.RateLimited), fault.Message);
        Assert.That(fault.Message, Does.Match(@"Retry after \d+ ms"));
        Assert.That(await register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.EqualTo(submissions), "nothing stored");

        Assert.That(await Submit(new FlowBuilder("F205", belfiore: "F205").Beneficiario(), milano), Is.EqualTo(Esiti.Ok), "another body is served");

        clock.Advance(TimeSpan.FromSeconds(21));
        Assert.That(await Submit(limited, roma, limitedHeader), Is.EqualTo(Esiti.Ok), "the same Trasmissione, retried later, is acquired");
    }

    private static async Task<(HttpStatusCode Status, string Text, string? RetryAfter)> SendAsync(HttpClient http, HttpContent content, CancellationToken ct = default)
    {
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "AssistanceRecord.svc") { Content = content };
        request.Headers.Add("SOAPAction", $"\"{GatedEndpoint.GetReceiptAction}\"");
        using var response = await http.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct), response.Headers.RetryAfter?.ToString());
    }
}
