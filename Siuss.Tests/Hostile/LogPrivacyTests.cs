using System.Collections.Concurrent;
using System.ServiceModel;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Tests.Support;

namespace Siuss.Tests.Hostile;

/// <summary>The register's logs, captured at Debug level: every request's entries carry its correlation id, and no fiscal code ever appears.</summary>
[TestFixture]
public sealed class LogPrivacyTests
{
    private static readonly Regex FiscalCode = new(@"\b[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]?\b|\b\d{11}\b", RegexOptions.Compiled);

    [Test]
    public async Task Logs_carry_the_correlation_id_and_never_a_fiscal_code()
    {
        var sink = new CapturingLoggerProvider();
        await using var register = await RunningRegister.StartAsync(
            new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Debug" },
            builder => builder.Services.AddSingleton<ILoggerProvider>(sink));
        var roma = TestCertificates.Rsa();
        await register.RegisterAgencyAsync("H501", roma);
        var certificate = await register.DownloadReceiptCertificateAsync();
        await using var client = register.NewClient();

        // Accepted: two people.
        var good = new FlowBuilder().Beneficiario(b => b.CodiceFiscale = "VRDLGU80B41F205W").Beneficiario(b => b.CodiceFiscale = "01234567897");
        var goodBytes = good.ToBytes();
        var accepted = ReceiptVerifier.Verify(await client.SubmitAsync(SignedDocuments.SignTrasmissione(goodBytes, "H501", good.Nome, roma), goodBytes), certificate).Ricevuta;
        // Refused by the rules and by the schema, both naming the person in the receipt.
        var refused = new FlowBuilder().Beneficiario(b => b.CodiceFiscale = "RSSMRA85T10A562T").Beneficiario(b => b.CodiceFiscale = "BNCLRA90A41H501");
        var refusedBytes = refused.ToBytes();
        var refusal = ReceiptVerifier.Verify(await client.SubmitAsync(SignedDocuments.SignTrasmissione(refusedBytes, "H501", refused.Nome, roma), refusedBytes), certificate).Ricevuta;
        // A fault: a header changed after signing, and an unreadable flow name carrying a fiscal code.
        var faulted = new FlowBuilder(nome: "H501.PS.RSSMRA85T10A562S.1").Beneficiario();
        var faultedBytes = faulted.ToBytes();
        var header = Encoding.UTF8.GetString(SignedDocuments.SignTrasmissione(faultedBytes, "H501", faulted.Nome, roma)).Replace("<DimensioneFlusso>", "<DimensioneFlusso>1");
        var fault = Assert.ThrowsAsync<FaultException>(() => client.SubmitAsync(Encoding.UTF8.GetBytes(header), faultedBytes));
        // An envelope whose operation element is named like a fiscal code (the guard quotes names it refuses).
        using (var http = new HttpClient { BaseAddress = register.BaseAddress })
        {
            var envelope = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><BNCGNN70C12F205Q xmlns=\"urn:siuss:assistance-record:v1\"/></s:Body></s:Envelope>";
            using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
            using var request = new HttpRequestMessage(HttpMethod.Post, "AssistanceRecord.svc") { Content = content };
            request.Headers.Add("SOAPAction", "\"urn:siuss:assistance-record:v1/SubmitFlow\"");
            using var response = await http.SendAsync(request);
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("f:" + FaultCodes.RequestMalformed));
        }
        // A history query about a person.
        await client.GetRecordHistoryAsync(SignedDocuments.SignGetRecordHistory("H501", roma, "VRDLGU80B41F205W"));

        Assert.That(accepted.Esito, Is.EqualTo(Esiti.Ok));
        Assert.That(refusal.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(fault!.Code.Name, Is.EqualTo(FaultCodes.SignatureInvalid));
        var entries = sink.Entries.ToList();
        var all = string.Join("\n", entries.Select(e => e.ToString()));

        Assert.Multiple(() =>
        {
            Assert.That(entries.Count(e => e.Category.StartsWith("Siuss", StringComparison.Ordinal)), Is.GreaterThan(0), all);
            foreach (var cf in new[] { "VRDLGU80B41F205W", "01234567897", "RSSMRA85T10A562T", "BNCLRA90A41H501", "RSSMRA85T10A562S", "BNCGNN70C12F205Q" })
                Assert.That(all, Does.Not.Contain(cf).IgnoreCase, "a fiscal code in the logs");
            Assert.That(FiscalCode.Matches(all).Select(m => m.Value), Is.Empty, "anything shaped like a fiscal code in the logs");
            Assert.That(entries.Any(e => e.Scope.Contains("CorrelationId=" + accepted.IdCorrelazione)), Is.True, "the receipt's IdCorrelazione is the log scope\n" + all);
            Assert.That(entries.Any(e => e.Scope.Contains("CorrelationId=" + refusal.IdCorrelazione)), Is.True, "the refusal's IdCorrelazione is the log scope\n" + all);
            Assert.That(entries.Any(e => e.Message.Contains(FaultCodes.SignatureInvalid) && e.Scope.Contains("CorrelationId=")), Is.True, "the fault is logged under its correlation id\n" + all);
            Assert.That(entries.Any(e => e.Message.Contains(FaultCodes.RequestMalformed) && e.Message.Contains("***") && e.Scope.Contains("CorrelationId=")), Is.True, "the refused envelope is logged, masked\n" + all);
            Assert.That(entries.Where(e => e.Category.StartsWith("Siuss.Service.Submission", StringComparison.Ordinal) || e.Category.StartsWith("Siuss.Host.Web.Assistance", StringComparison.Ordinal))
                .All(e => e.Scope.Contains("CorrelationId=")), Is.True, "every entry of a request carries its correlation id\n" + all);
        });
    }

    private sealed record Entry(string Category, LogLevel Level, string Message, string Scope)
    {
        public override string ToString() => $"{Level} {Category} [{Scope}] {Message}";
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
        public ConcurrentQueue<Entry> Entries { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
        public void Dispose() { }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new StringBuilder();
                owner._scopes.ForEachScope((s, sb) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object>> pairs)
                        foreach (var (k, v) in pairs) sb.Append(k).Append('=').Append(v).Append(';');
                    else sb.Append(s).Append(';');
                }, scope);
                // Structured properties too: a fiscal code must not hide in a template argument either.
                var properties = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(",", kv.Select(p => $"{p.Key}={p.Value}")) : "";
                owner.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception) + " " + properties + " " + exception, scope.ToString()));
            }
        }
    }
}
