using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Siuss.Client;

namespace Siuss.Bench;

/// <summary>
/// Scenario 3: the register's peak working set while it ingests one large flow, measured on the
/// register's own process (a fresh child per size), as growth over its warmed-up resident set.
/// </summary>
public static class MemoryScenario
{
    public static async Task RunAsync(Report report, Options options, X509Certificate2 body)
    {
        var section = report.Add("memory", "3. Memory: peak working-set growth of the register while ingesting one flow");
        section.Intro.Add("A fresh register child process per size (server GC, as Siuss.Host). It is warmed up with small flows, " +
            "asked for a full compacting GC, and its resident set taken as the baseline; the kernel's peak-RSS mark is reset " +
            "(`/proc/PID/clear_refs` = 5) and the flow submitted over HTTP. Growth = peak RSS (VmHWM) during the request - baseline; " +
            "the driver also samples VmRSS every 5 ms as a cross-check. Floor: the flow's own size (ratio = growth / flow size). " +
            "For attribution, the same request bytes are then sent twice more to the same host: to a bench-only endpoint that " +
            "reads the body to its end and answers nothing (`receive floor`: Kestrel and the register's middleware, the least any " +
            "implementation must pay), and to the no-op SoapCore operation with SubmitFlow's message shape (`no-op SoapCore`: what " +
            "SubmitFlow cost to receive while it was served by SoapCore; it now has its own streaming reader, the other operations still use SoapCore).");

        foreach (var target in options.MemoryFlowBytes)
        {
            await using var register = await ChildRegister.StartAsync([("H501", "H501", body)], 2048);
            using var http = Soap.NewClient(2);
            for (int i = 0; i < 5; i++)
                await Submit(http, register, body, Flows.Build("H501", Flows.NewName("H501"), 500));

            int records = Flows.RecordsForSize(target);
            var flow = Flows.Build("H501", Flows.NewName("H501"), records);
            var envelope = Soap.SubmitFlow(SignedDocuments.SignTrasmissione(flow, "H501", BatchIngest.NameOf(flow), body), flow);

            await register.CollectAsync();
            await Task.Delay(300);
            var (baseline, _) = register.Memory();
            bool reset = register.ResetPeak();

            long sampledPeak = baseline;
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var (rss, _) = register.Memory();
                    if (rss > sampledPeak) sampledPeak = rss;
                    try { await Task.Delay(5, stop.Token); } catch (OperationCanceledException) { }
                }
            });
            var sw = Stopwatch.StartNew();
            var answer = await Soap.PostAsync(http, register.Endpoint, Soap.SubmitAction, envelope);
            var seconds = sw.Elapsed.TotalSeconds;
            var (_, hwm) = register.Memory();
            stop.Cancel();
            await sampler;
            if (answer.Esito != "OK") throw new InvalidOperationException($"{records} records answered {answer.Esito} {answer.FaultString}");

            long peak = reset ? Math.Max(hwm, sampledPeak) : sampledPeak;
            double growth = peak - baseline;

            // Attribution: the same bytes to an endpoint that only reads them - the receive floor.
            var drainGrowth = await DrainGrowthAsync(http, register, envelope);

            // The same bytes to the no-op SoapCore operation on the same (now warm) host - what
            // Kestrel + SoapCore + XmlSerializer alone cost to receive this request.
            await register.CollectAsync();
            await Task.Delay(300);
            var (noopBaseline, _) = register.Memory();
            register.ResetPeak();
            var noopAnswer = await Soap.PostAsync(http, register.NoopEndpoint, Soap.NoopAction,
                Soap.Noop(SignedDocuments.SignTrasmissione(flow, "H501", BatchIngest.NameOf(flow), body), flow));
            var (_, noopPeak) = register.Memory();
            if (noopAnswer.IsFault) throw new InvalidOperationException("no-op answered " + noopAnswer.FaultCode);
            double noopGrowth = Math.Max(0, noopPeak - noopBaseline);
            section.Row(("flow MB", flow.Length / 1e6), ("records", records), ("request MB", envelope.Length / 1e6),
                ("receipt MB", answer.Result!.Length / 1e6), ("seconds", seconds),
                ("baseline RSS MB", baseline / 1e6), ("peak RSS MB", peak / 1e6), ("growth MB", growth / 1e6),
                ("growth / flow size", growth / flow.Length),
                ("receive floor growth MB", drainGrowth / 1e6), ("growth / receive floor", growth / Math.Max(drainGrowth, 1)),
                ("no-op SoapCore growth MB", noopGrowth / 1e6), ("no-op SoapCore growth / flow size", noopGrowth / flow.Length),
                ("peak from", reset ? "VmHWM" : "5 ms samples"));
            if (target == 50_000_000)
                report.Targets.Add(new Target("Memory, 50 MB flow", "peak working-set growth < 4x the flow size",
                    $"{growth / flow.Length:F2}x ({growth / 1e6:F0} MB for {flow.Length / 1e6:F0} MB)", growth / flow.Length < 4));
        }
        section.Notes.Add("The request carries the flow in base64 (4/3 of its size) inside the SOAP envelope; the receipt lists one result per record.");
    }

    private static async Task<double> DrainGrowthAsync(HttpClient http, ChildRegister register, byte[] envelope)
    {
        await register.CollectAsync();
        await Task.Delay(300);
        var (baseline, _) = register.Memory();
        register.ResetPeak();
        using var content = new ByteArrayContent(envelope);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        using var response = await http.PostAsync(register.DrainEndpoint, content);
        response.EnsureSuccessStatusCode();
        var (_, peak) = register.Memory();
        return Math.Max(0, peak - baseline);
    }

    private static async Task Submit(HttpClient http, ChildRegister register, X509Certificate2 body, byte[] flow)
    {
        var envelope = Soap.SubmitFlow(SignedDocuments.SignTrasmissione(flow, "H501", BatchIngest.NameOf(flow), body), flow);
        var answer = await Soap.PostAsync(http, register.Endpoint, Soap.SubmitAction, envelope);
        if (answer.Esito != "OK") throw new InvalidOperationException("warm-up answered " + answer.Esito);
    }
}
