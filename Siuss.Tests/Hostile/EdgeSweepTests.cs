using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Siuss.Contracts;
using Siuss.Tests.Support;

namespace Siuss.Tests.Hostile;

/// <summary>
/// Client errors are never server errors: a standing sweep of method x path variant x Content-Type x SOAPAction x body
/// (valid, truncated, empty, garbage, oversized, broken chunked framing, DTD) over raw HTTP. No answer is
/// <c>InternalError</c>, none is a 5xx that is not a register SOAP fault, every one is an answer (not a dropped
/// connection), nothing is stored, and the log holds no error and no unhandled exception afterwards.
/// </summary>
[TestFixture]
public sealed class EdgeSweepTests
{
    private const int MaxRequestBytes = 100_000;

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
    private static readonly string[] Paths = ["/AssistanceRecord.svc", "/AssistanceRecord.svc/", "/AssistanceRecord.svc/x", "/assistancerecord.svc", "/AssistanceRecord%2Esvc"];
    private static readonly string?[] ContentTypes = ["text/xml; charset=utf-8", null, "application/soap+xml; charset=utf-8", "multipart/related; boundary=b"];
    private static readonly string?[] Actions =
        ["urn:siuss:assistance-record:v1/SubmitFlow", "urn:siuss:assistance-record:v1/ReconcileRecords", "", "http://tempuri.org/IService/SubmitFlow", null];

    private static string Envelope(string operation) =>
        $"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><{operation} xmlns=\"urn:siuss:assistance-record:v1\">" +
        $"<Trasmissione>AA==</Trasmissione><Flusso>AA==</Flusso><Richiesta>AA==</Richiesta></{operation}></s:Body></s:Envelope>";

    /// <summary>The bodies: name, the extra headers that frame it, the bytes sent after the head.</summary>
    private static IEnumerable<(string Name, (string, string)[] Framing, byte[][] Parts)> Bodies()
    {
        var valid = Encoding.UTF8.GetBytes(Envelope("SubmitFlow"));
        (string, string) Length(long n) => ("Content-Length", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return ("valid envelope", [Length(valid.Length)], [valid]);
        yield return ("truncated envelope", [Length(valid.Length / 2)], [valid[..(valid.Length / 2)]]);
        yield return ("empty body", [Length(0)], []);
        yield return ("garbage", [Length(300)], [Enumerable.Range(0, 300).Select(i => (byte)(i * 37 % 256)).ToArray()]);
        yield return ("declared oversized", [Length(MaxRequestBytes * 10L)], [valid]);
        yield return ("chunked oversized", [("Transfer-Encoding", "chunked")], [.. RawHttp.Chunked(new byte[MaxRequestBytes + 10], [60_000, 60_000])]);
        yield return ("chunk size past 64 bits", [("Transfer-Encoding", "chunked")], [Encoding.ASCII.GetBytes("FFFFFFFFFFFFFFFFFFFF\r\n"), valid]);
        yield return ("chunk size not hex", [("Transfer-Encoding", "chunked")], [Encoding.ASCII.GetBytes("zz\r\nabc\r\n0\r\n\r\n")]);
        var dtd = Encoding.UTF8.GetBytes("<!DOCTYPE s:Envelope [<!ENTITY e \"AA==\">]>" + Envelope("SubmitFlow").Replace("AA==", "&e;"));
        yield return ("DOCTYPE", [Length(dtd.Length)], [dtd]);
    }

    [Test]
    public async Task No_client_input_gets_InternalError_or_a_bare_5xx_and_the_log_has_no_unhandled_exception()
    {
        var sink = new ErrorSink();
        await using var register = await RunningRegister.StartAsync(
            new Dictionary<string, string> { ["Siuss:Limits:MaxRequestBytes"] = MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            builder => builder.Services.AddSingleton<ILoggerProvider>(sink));
        var address = register.BaseAddress;

        var combinations = (from method in Methods
                            from path in Paths
                            from contentType in ContentTypes
                            from action in Actions
                            from body in Bodies()
                            select (method, path, contentType, action, body)).ToList();
        var wrong = new ConcurrentBag<string>();
        var codes = new ConcurrentDictionary<string, int>();

        await Parallel.ForEachAsync(combinations, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, _) =>
        {
            var headers = new List<(string, string)>();
            if (c.contentType is not null) headers.Add(("Content-Type", c.contentType));
            if (c.action is not null) headers.Add(("SOAPAction", $"\"{c.action}\""));
            headers.AddRange(c.body.Framing);
            var answer = await RawHttp.SendAsync(address, [RawHttp.Head(address, c.method, c.path, headers), .. c.body.Parts], pauseBetweenParts: false);
            codes.AddOrUpdate($"{answer.Status} {answer.FaultCode}", 1, (_, n) => n + 1);

            var what = $"{c.method} {c.path} [{c.contentType ?? "-"}] SOAPAction={c.action ?? "(none)"} {c.body.Name}: {answer}";
            if (answer.Status == 0) wrong.Add("no HTTP answer: " + what);
            else if (answer.FaultCode == FaultCodes.InternalError) wrong.Add("InternalError: " + what);
            else if (answer.Status >= 500 && !FaultCodes.All.Contains(answer.FaultCode)) wrong.Add("a 5xx that is not a register fault: " + what);
        });

        TestContext.Out.WriteLine($"{combinations.Count} combinations; answers: " + string.Join(", ", codes.OrderBy(p => p.Key).Select(p => $"{p.Key} x{p.Value}")));
        Assert.Multiple(async () =>
        {
            Assert.That(combinations, Has.Count.EqualTo(Methods.Length * Paths.Length * ContentTypes.Length * Actions.Length * Bodies().Count()));
            Assert.That(wrong, Is.Empty);
            Assert.That(sink.Errors, Is.Empty, "no error and no unhandled exception in the log");
            Assert.That(await register.CountAsync("SELECT COUNT(*) FROM submissions"), Is.Zero, "nothing stored");
        });
    }

    /// <summary>Keeps every log entry at Error or above, and any entry carrying an exception.</summary>
    private sealed class ErrorSink : ILoggerProvider
    {
        public ConcurrentQueue<string> Errors { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        private sealed class Logger(ErrorSink owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Error || exception is not null)
                    owner.Errors.Enqueue($"{logLevel} {category}[{eventId}]: {formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message} {exception?.InnerException?.GetType().Name}");
            }
        }
    }
}
