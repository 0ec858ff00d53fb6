using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Submission;

namespace Siuss.Bench;

/// <summary>
/// Attribution for scenario 2: what the stages of one one-record submission cost, each measured alone
/// in the driver process (steady state, single thread), next to the per-flow CPU budget the target implies.
/// </summary>
public static class StageCosts
{
    public static async Task RunAsync(Report report, Options options, X509Certificate2 body)
    {
        var s = report.Add("cooperative_stages", "2b. Cooperative traffic: what one one-record submission costs, stage by stage (attribution)");
        s.Intro.Add("Each stage run alone in a loop on one thread of the driver process after a warm-up (median of 5 batches). " +
            "Budget: at 1,500 flows/s on this machine's cores, one flow may use (cores / 1,500) s of CPU in all - driver, HTTP and SOAP included.");
        int loops = options.Quick ? 150 : 400;

        var flows = Enumerable.Range(0, loops * 6 + 20).Select(_ => Flows.Build("H501", Flows.NewName("H501"), 1)).ToList();
        var trasmissioni = flows.Select(f => SignedDocuments.SignTrasmissione(f, "H501", BatchIngest.NameOf(f), body)).ToList();
        using var register = await InProcessRegister.StartAsync("H501", "H501", body);
        var signer = register.RegisterDocumentSigner;
        var ricevuta = new Ricevuta
        {
            Esito = Esiti.Ok, IdAcquisizione = Guid.NewGuid().ToString(), CodiceEnte = "H501", IdMessaggio = Guid.NewGuid().ToString(),
            NomeFlusso = "H501.PS.20250101.1", TipoFlusso = TipiFlusso.PsPsaSina, DataOraRicezione = DateTime.UtcNow,
            HashRichiesta = new string('a', 64), HashFlusso = new string('b', 64), IdCorrelazione = Guid.NewGuid().ToString("N"),
            Riepilogo = new Riepilogo { Totali = 1, Validi = 1 },
            EsitiRecord = [new EsitoRecord { Progressivo = 1, Operazione = "I", CodicePrestazione = "A1.06", ProtocolloDomanda = "P1", Esito = Esiti.Ok }],
        };
        var envelope = Soap.SubmitFlow(trasmissioni[0], flows[0]);

        // Managed bytes each stage allocates per call (this thread only; deterministic, unlike the times).
        var allocated = new List<double>();
        double Us(Action action)
        {
            for (int i = 0; i < loops; i++) action();
            long bytes0 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < loops; i++) action();
            allocated.Add((GC.GetAllocatedBytesForCurrentThread() - bytes0) / 1024.0 / loops);
            var batches = new List<double>();
            for (int b = 0; b < 5; b++)
            {
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < loops; i++) action();
                batches.Add(sw.Elapsed.TotalMicroseconds / loops);
            }
            return Stats.Median(batches);
        }

        int k = 0;
        var verify = Us(() => SignedDocumentReader.Read<Trasmissione>(trasmissioni[k++ % trasmissioni.Count], 65536));
        var load = Us(() => Siuss.Signing.SafeXml.LoadDocument(trasmissioni[k++ % trasmissioni.Count], 65536));
        var docs = trasmissioni.Take(64).Select(t => Siuss.Signing.SafeXml.LoadDocument(t, 65536)).ToList();
        var profile = Us(() => Siuss.Signing.SignatureProfileVerifier.Verify(docs[k++ % docs.Count]));
        var certificate = Us(() => X509CertificateLoader.LoadCertificate(body.RawData).Dispose());
        var sign = Us(() => signer.Sign(ricevuta));
        var reader = Us(() => Floors.ProductReader(flows[0]));
        var parse = Us(() => SoapAnswer.Parse(envelope));

        // Whole pipeline without HTTP, one flow at a time (includes the commit's fsync) and 64 at once.
        int next = 20;
        var sequential = new List<double>();
        long total0 = 0; double written0 = 0;
        for (int i = 0; i < loops; i++)
        {
            int j = next++;
            var sw = Stopwatch.StartNew();
            await register.Submissions.SubmitAsync(trasmissioni[j], flows[j], "stage");
            if (i >= loops / 3) sequential.Add(sw.Elapsed.TotalMicroseconds);
            if (i == loops / 3) (total0, written0) = (GC.GetTotalAllocatedBytes(precise: true), WrittenBytes());
        }
        double pipelineKb = (GC.GetTotalAllocatedBytes(precise: true) - total0) / 1024.0 / (loops - loops / 3 - 1);
        double sequentialWrittenKb = (WrittenBytes() - written0) / 1024.0 / (loops - loops / 3 - 1);
        int remaining = Math.Min(flows.Count - next, loops * 4);
        var clock = Stopwatch.StartNew();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var concurrentWritten0 = WrittenBytes();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(w => Task.Run(async () =>
        {
            int j;
            while ((j = Interlocked.Increment(ref next) - 1) < flows.Count)
                await register.Submissions.SubmitAsync(trasmissioni[j], flows[j], "stage");
        })));
        var concurrentRate = remaining / clock.Elapsed.TotalSeconds;
        var cpuPerFlow = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds / remaining;
        double concurrentWrittenKb = (WrittenBytes() - concurrentWritten0) / 1024.0 / remaining;

        double budget = Environment.ProcessorCount / 1500.0 * 1e6;
        s.Row(("stage", "budget per flow at 1,500 flows/s"), ("µs", budget), ("share of budget", 1.0), ("KB allocated", ""));
        s.Row(("stage", "verify Trasmissione (SignedDocumentReader.Read: DOM, RSA-SHA256 profile check, XSD, XmlSerializer)"), ("µs", verify), ("share of budget", verify / budget), ("KB allocated", allocated[0]));
        s.Row(("stage", "  of which: parse the header into a DOM (SafeXml.LoadDocument)"), ("µs", load), ("share of budget", load / budget), ("KB allocated", allocated[1]));
        s.Row(("stage", "  of which: SignatureProfileVerifier.Verify (signature read from the DOM; cached KeyInfo certificate, streamed exc-c14n digests, RSA verify)"), ("µs", profile), ("share of budget", profile / budget), ("KB allocated", allocated[2]));
        s.Row(("stage", "    for scale: load one X509 certificate from DER"), ("µs", certificate), ("share of budget", certificate / budget), ("KB allocated", allocated[3]));
        s.Row(("stage", "sign a one-record receipt (RegisterDocumentSigner.Sign: XmlSerializer to bytes, exc-c14n digest, canonical SignedInfo, ECDSA P-256)"), ("µs", sign), ("share of budget", sign / budget), ("KB allocated", allocated[4]));
        s.Row(("stage", "read the one-record flow (PsPsaSinaFlowReader: validating XmlReader + objects)"), ("µs", reader), ("share of budget", reader / budget), ("KB allocated", allocated[5]));
        s.Row(("stage", "parse the SOAP envelope with an XmlReader and decode base64 (client-side cost of the same bytes)"), ("µs", parse), ("share of budget", parse / budget), ("KB allocated", allocated[6]));
        s.Row(("stage", "whole pipeline in-process, one flow at a time (median latency, includes the commit's fsync)"), ("µs", Stats.Median(sequential)), ("share of budget", Stats.Median(sequential) / budget), ("KB allocated", pipelineKb), ("KB passed to write()", sequentialWrittenKb));
        s.Row(("stage", $"whole pipeline in-process, 64 concurrent: CPU per flow ({concurrentRate:F0} flows/s without HTTP)"), ("µs", cpuPerFlow), ("share of budget", cpuPerFlow / budget), ("KB allocated", ""), ("KB passed to write()", concurrentWrittenKb));
    }

    // Bytes this process handed to write calls so far (Linux /proc/self/io wchar: the SQLite log, checkpoints, spool
    // files, console). One flow at a time it is the same on a noisy machine; 64 at once it also depends on how large
    // the commit groups were. NaN elsewhere.
    private static double WrittenBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/io"))
                if (line.StartsWith("wchar:", StringComparison.Ordinal)) return double.Parse(line.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return double.NaN;
    }
}
