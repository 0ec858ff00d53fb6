using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Service.Storage;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>
/// GetBeneficiaryBenefits over real HTTP with the WCF client: the consulting role reads one person across
/// paying bodies (never SINBA), a plain body is refused, and every authenticated attempt leaves an audit row
/// that the operator's real 'audit consultations' process reports - while the application log names no one.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class BeneficiaryBenefitsTests(string engine)
{
    private const string Inps = "INPS";
    private RunningRegister _register = null!;
    private readonly LogSink _logs = new();
    private X509Certificate2 _roma = null!, _milano = null!, _napoli = null!, _inps = null!, _registerCertificate = null!;

    /// <summary>A valid personal fiscal code from its first fifteen characters.</summary>
    private static string Cf(string first15) => first15 + FiscalCode.PersonalCheckCharacter(first15);

    [OneTimeSetUp]
    public async Task StartRegister()
    {
        _register = await RunningRegister.StartAsync(
            new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Debug" },
            builder => builder.Services.AddSingleton<ILoggerProvider>(_logs), engine);
        (_roma, _milano, _napoli, _inps) = (TestCertificates.Rsa(), TestCertificates.Ecdsa(), TestCertificates.Rsa("CN=Comune di Napoli"), TestCertificates.Rsa("CN=INPS"));
        await _register.RegisterAgencyAsync("H501", _roma, name: "Comune di Roma");
        await _register.RegisterAgencyAsync("F205", _milano, belfiore: "F205", name: "Comune di Milano");
        await _register.RegisterAgencyAsync("F839", _napoli, belfiore: "F839", name: "Comune di Napoli");
        await _register.Services.GetRequiredService<AgencyRepository>().AddAsync(
            new Agency { Code = Inps, Name = "INPS verifiche ISEE", Belfiore = "H501", CanConsult = true, RegisteredAt = DateTime.UtcNow }, _inps, DateTime.UtcNow);
        _registerCertificate = await _register.DownloadReceiptCertificateAsync();
    }

    [OneTimeTearDown]
    public async Task StopRegister() => await _register.DisposeAsync();

    private async Task<Ricevuta> SubmitAsync(FlowBuilder flow, X509Certificate2 signer)
    {
        var bytes = flow.ToBytes();
        await using var client = _register.NewClient();
        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, flow.CodiceEnte, flow.Nome, signer), bytes);
        return ReceiptVerifier.Verify(raw, _registerCertificate).Ricevuta;
    }

    private async Task<byte[]> ConsultAsync(byte[] richiesta)
    {
        await using var client = _register.NewClient();
        return await client.GetBeneficiaryBenefitsAsync(richiesta);
    }

    private Task<IReadOnlyList<ConsultationAuditEntry>> AuditAsync(string? ente = null, string? person = null) =>
        _register.Services.GetRequiredService<ConsultationAuditRepository>().SearchAsync(DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(1), ente, person);

    /// <summary>A person with records from Rome (one cancelled, one active) and Milan, and a SINBA flow from Naples beside them.</summary>
    private async Task<string> PersonWithRecordsOfTwoBodiesAsync(string first15)
    {
        var person = Cf(first15);
        var insert = new FlowBuilder().Beneficiario(b => b.CodiceFiscale = person).Beneficiario(b => b.CodiceFiscale = person);
        var cancelled = insert.ToBeneficiaryPrestazione(0);
        var cancel = new FlowBuilder().Beneficiario(b => { b.CodiceFiscale = person; b.Prestazioni[0] = new(cancelled) { ["TipoOperazione"] = "C" }; });
        var milan = new FlowBuilder("F205", belfiore: "F205").Beneficiario(b => { b.CodiceFiscale = person; b.Prestazioni[0] = BeneficiarioSpec.DefaultPeriodic(); });
        Assert.That((await SubmitAsync(insert, _roma)).Esito, Is.EqualTo(Esiti.Ok));
        Assert.That((await SubmitAsync(cancel, _roma)).Esito, Is.EqualTo(Esiti.Ok));
        Assert.That((await SubmitAsync(milan, _milano)).Esito, Is.EqualTo(Esiti.Ok));
        Assert.That((await SubmitSinbaAsync()).Esito, Is.EqualTo(Esiti.Ok));
        return person;
    }

    /// <summary>Submits a SINBA flow of Naples (a conformance sample under a fresh name).</summary>
    private async Task<Ricevuta> SubmitSinbaAsync()
    {
        var name = FlowBuilder.NewName("F839", "SINBA");
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Conformance", "Samples", "Sinba", "valid-case-closed-came-of-age.xml");
        var bytes = Encoding.UTF8.GetBytes(File.ReadAllText(path).Replace("F839.SINBA.20250520.0000001", name));
        await using var client = _register.NewClient();
        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, "F839", name, _napoli, TipiFlusso.Sinba), bytes);
        return ReceiptVerifier.Verify(raw, _registerCertificate).Ricevuta;
    }

    [Test]
    public async Task A_consulting_body_sees_every_body_s_records_active_and_cancelled_never_SINBA_and_the_read_is_audited_first()
    {
        var person = await PersonWithRecordsOfTwoBodiesAsync("BNCGVN70A01H501");
        var richiesta = SignedDocuments.SignGetBeneficiaryBenefits(Inps, _inps, person.ToLowerInvariant());

        var raw = await ConsultAsync(richiesta);

        // Verified against the certificate the register publishes, and valid against the published schema.
        var answer = ReceiptVerifier.VerifyDocument<PrestazioniBeneficiario>(raw, _registerCertificate);
        var schemaErrors = new List<string>();
        var settings = new System.Xml.XmlReaderSettings { ValidationType = System.Xml.ValidationType.Schema, Schemas = Siuss.Service.Flows.FlowSchemas.Compile("siuss-documents.xsd"), DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null };
        settings.ValidationEventHandler += (_, e) => schemaErrors.Add(e.Message);
        using (var reader = System.Xml.XmlReader.Create(new MemoryStream(raw), settings)) while (reader.Read()) { }
        Assert.That(schemaErrors, Is.Empty, "the answer agrees with wsdl/siuss-documents.xsd");
        Assert.Multiple(() =>
        {
            Assert.That(answer.CodiceEnte, Is.EqualTo(Inps));
            Assert.That(answer.CodiceFiscale, Is.EqualTo(person));
            Assert.That(answer.Prestazioni.Select(p => (p.CodiceEnte, p.DenominazioneEnte, p.Stato)), Is.EquivalentTo(new[]
            {
                ("F205", "Comune di Milano", "ATTIVA"), ("H501", "Comune di Roma", "ANNULLATA"), ("H501", "Comune di Roma", "ATTIVA"),
            }));
            Assert.That(answer.Prestazioni.Select(p => p.CodiceEnte), Is.Ordered, "by paying body");
            var periodic = answer.Prestazioni.Single(p => p.CodiceEnte == "F205");
            Assert.That((periodic.CodicePrestazione, periodic.ImportoMensile, periodic.PeriodoErogazione, periodic.ImportoPrestazioneSpecified), Is.EqualTo(("A1.11", 400m, 12, false)));
            Assert.That(answer.Prestazioni.Where(p => p.CodiceEnte == "H501").Select(p => p.ImportoPrestazione), Is.All.EqualTo(150m));
            Assert.That(answer.Prestazioni.Select(p => p.CodiceEnte), Has.None.EqualTo("F839"), "SINBA records are never returned by person");
        });
        Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM sinba_records WHERE agency_code = 'F839'"), Is.GreaterThan(0), "a SINBA flow is stored beside");

        var row = (await AuditAsync(person: person)).Single();
        var recordIds = await RecordIdsAsync(person);
        Assert.Multiple(() =>
        {
            Assert.That(row.Outcome, Is.EqualTo(ConsultationOutcomes.Allowed));
            Assert.That(row.FaultCode, Is.Null);
            Assert.That(row.AgencyCode, Is.EqualTo(Inps));
            Assert.That(row.SignerThumbprint, Is.EqualTo(AgencyRepository.Thumbprint(_inps)));
            Assert.That(row.IdMessaggio, Is.EqualTo(answer.IdMessaggio));
            Assert.That(row.CorrelationId, Is.EqualTo(answer.IdCorrelazione));
            Assert.That(row.RequestHash, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(richiesta))));
            Assert.That(row.OccurredAt, Is.EqualTo(answer.DataOra).Within(TimeSpan.FromMilliseconds(1)));
            Assert.That(row.RecordCount, Is.EqualTo(3));
            Assert.That(row.RecordIds.Split(' ').Select(long.Parse), Is.EquivalentTo(recordIds), "the ids of exactly the records shown");
            Assert.That(row.AnswerHash, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(raw))), "the digest of the exact signed bytes received");
        });
    }

    private async Task<long[]> RecordIdsAsync(string person)
    {
        await using var connection = await _register.Services.GetRequiredService<Database>().OpenAsync();
        return (await Dapper.SqlMapper.QueryAsync<long>(connection, "SELECT id FROM benefit_records WHERE codice_fiscale = @person", new { person })).ToArray();
    }

    [Test]
    public async Task A_plain_paying_body_is_refused_and_the_refusal_is_audited()
    {
        var person = await PersonWithRecordsOfTwoBodiesAsync("RSSLRA80A41F205");
        var richiesta = SignedDocuments.SignGetBeneficiaryBenefits("H501", _roma, person);

        var fault = Assert.ThrowsAsync<FaultException>(() => ConsultAsync(richiesta));

        Assert.That(fault!.Code.Name, Is.EqualTo(FaultCodes.ConsultationNotAllowed));
        var row = (await AuditAsync(person: person)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(row.Outcome, Is.EqualTo(ConsultationOutcomes.Refused));
            Assert.That(row.FaultCode, Is.EqualTo(FaultCodes.ConsultationNotAllowed));
            Assert.That(row.AgencyCode, Is.EqualTo("H501"));
            Assert.That(row.SignerThumbprint, Is.EqualTo(AgencyRepository.Thumbprint(_roma)));
            Assert.That((row.RecordCount, row.RecordIds, row.AnswerHash), Is.EqualTo((0, "", (string?)null)), "nothing was shown");
        });
    }

    [Test]
    public async Task An_unknown_person_gets_an_empty_signed_answer_and_the_read_is_still_audited()
    {
        var nobody = Cf("NSSNSS01A01H501");

        var answer = ReceiptVerifier.VerifyDocument<PrestazioniBeneficiario>(await ConsultAsync(SignedDocuments.SignGetBeneficiaryBenefits(Inps, _inps, nobody)), _registerCertificate);

        Assert.That(answer.Prestazioni, Is.Empty);
        var row = (await AuditAsync(person: nobody)).Single();
        Assert.That((row.Outcome, row.RecordCount, row.RecordIds), Is.EqualTo((ConsultationOutcomes.Allowed, 0, "")));
        Assert.That(row.AnswerHash, Has.Length.EqualTo(64));
    }

    [Test]
    public async Task An_invalid_fiscal_code_is_DocumentInvalid_like_GetRecordHistory_and_audited()
    {
        var fault = Assert.ThrowsAsync<FaultException>(() => ConsultAsync(SignedDocuments.SignGetBeneficiaryBenefits(Inps, _inps, "RSSMRA85T10A562X")));

        Assert.That(fault!.Code.Name, Is.EqualTo(FaultCodes.DocumentInvalid));
        var row = (await AuditAsync(person: "RSSMRA85T10A562X")).Single();
        Assert.That((row.Outcome, row.FaultCode), Is.EqualTo((ConsultationOutcomes.Refused, FaultCodes.DocumentInvalid)));
    }

    [Test]
    public async Task A_replayed_or_stale_request_is_refused_before_authentication_and_leaves_no_audit_row()
    {
        var person = Cf("VRDMRC75C15L219");
        var richiesta = SignedDocuments.SignGetBeneficiaryBenefits(Inps, _inps, person);
        await ConsultAsync(richiesta);

        var replay = Assert.ThrowsAsync<FaultException>(() => ConsultAsync(richiesta));
        var stale = Assert.ThrowsAsync<FaultException>(() => ConsultAsync(
            SignedDocuments.SignGetBeneficiaryBenefits(Inps, _inps, person, dataOraUtc: DateTime.UtcNow.AddMinutes(-30))));
        var forged = Assert.ThrowsAsync<FaultException>(() => ConsultAsync(
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(SignedDocuments.SignGetBeneficiaryBenefits(Inps, _inps, Cf("NSSNSS01A01H501"))).Replace(Cf("NSSNSS01A01H501"), person))));

        Assert.That(replay!.Code.Name, Is.EqualTo(FaultCodes.MessageIdReused));
        Assert.That(stale!.Code.Name, Is.EqualTo(FaultCodes.MessageStale));
        Assert.That(forged!.Code.Name, Is.EqualTo(FaultCodes.SignatureInvalid));
        Assert.That((await AuditAsync(person: person)).Select(r => r.Outcome), Is.EqualTo(new[] { ConsultationOutcomes.Allowed }), "only the first, authenticated read");
    }

    [Test]
    public async Task Withdrawing_the_role_takes_effect_on_the_next_request()
    {
        var agencies = _register.Services.GetRequiredService<AgencyRepository>();
        var ministry = TestCertificates.Rsa("CN=Ministero");
        await agencies.AddAsync(new Agency { Code = "MLPS", Name = "Ministero", Belfiore = "H501", CanConsult = true, RegisteredAt = DateTime.UtcNow }, ministry, DateTime.UtcNow);
        var person = Cf("GLLFNC66D12H501");
        await ConsultAsync(SignedDocuments.SignGetBeneficiaryBenefits("MLPS", ministry, person));

        Assert.That(await agencies.SetCanConsultAsync("MLPS", false), Is.True);
        var fault = Assert.ThrowsAsync<FaultException>(() => ConsultAsync(SignedDocuments.SignGetBeneficiaryBenefits("MLPS", ministry, person)));

        Assert.That(fault!.Code.Name, Is.EqualTo(FaultCodes.ConsultationNotAllowed));
        Assert.That((await AuditAsync(ente: "MLPS")).Select(r => r.Outcome), Is.EqualTo(new[] { ConsultationOutcomes.Allowed, ConsultationOutcomes.Refused }));
    }

    [Test]
    public async Task The_operator_s_audit_query_reports_the_rows_with_filters_and_as_CSV()
    {
        var person = await PersonWithRecordsOfTwoBodiesAsync("CRTLCU82E50F205");
        var other = Cf("PLLMRA90M01H501");
        await ConsultAsync(SignedDocuments.SignGetBeneficiaryBenefits(Inps, _inps, person));
        await ConsultAsync(SignedDocuments.SignGetBeneficiaryBenefits(Inps, _inps, other));
        Assert.ThrowsAsync<FaultException>(() => ConsultAsync(SignedDocuments.SignGetBeneficiaryBenefits("F205", _milano, person)));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");

        var byPerson = await Host("audit", "consultations", "--from", today, "--to", today, "--codice-fiscale", person.ToLowerInvariant(), "--csv");
        var byBody = await Host("audit", "consultations", "--from", today, "--to", today, "--ente", "F205");
        var yesterday = await Host("audit", "consultations", "--from", "2020-01-01", "--to", "2020-01-31");
        var typo = await Host("audit", "consultations", "--from", today, "--to", today, "--codicefiscale", person);

        Assert.That(byPerson.ExitCode, Is.EqualTo(0), byPerson.ToString());
        var lines = byPerson.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines[0], Is.EqualTo("id;data_ora;ente;certificato;id_messaggio;id_correlazione;codice_fiscale;esito;codice_errore;record;id_record;hash_richiesta;hash_risposta"));
        Assert.That(lines.Skip(1).Select(l => l.Split(';')).Select(f => (f[2], f[6], f[7], f[8], f[9])), Is.EqualTo(new[]
        {
            (Inps, person, ConsultationOutcomes.Allowed, "", "3"), ("F205", person, ConsultationOutcomes.Refused, FaultCodes.ConsultationNotAllowed, "0"),
        }));
        Assert.That(lines[1].Split(';')[3], Is.EqualTo(AgencyRepository.Thumbprint(_inps)));
        Assert.That(byBody.ExitCode, Is.EqualTo(0), byBody.ToString());
        Assert.That(byBody.StdOut, Does.Contain("1 (0 allowed, 1 refused)").And.Contain(person).And.Not.Contain(other), byBody.ToString());
        Assert.That(yesterday.StdOut, Does.Contain(": 0 (0 allowed, 0 refused)"), yesterday.ToString());
        Assert.That(typo.ExitCode, Is.EqualTo(2), "a mistyped option is refused, not ignored\n" + typo);
    }

    private Task<CliResult> Host(params string[] args) =>
        CliProcess.RunAsync(CliProcess.HostDll, _register.DataDirectory, [.. args, .. _register.OperatorArguments]);

    [Test]
    public async Task The_client_verb_signs_calls_verifies_and_prints_the_answer()
    {
        var person = await PersonWithRecordsOfTwoBodiesAsync("MNTGRG55H10F205");
        var work = Directory.CreateTempSubdirectory("siuss-consult-cli-").FullName;
        File.WriteAllText(Path.Combine(work, "inps.pem"), _inps.ExportCertificatePem());
        File.WriteAllText(Path.Combine(work, "inps-key.pem"), _inps.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(work, "register.pem"), _registerCertificate.ExportCertificatePem());

        var result = await CliProcess.RunAsync(CliProcess.ClientDll, work, ["beneficiary-benefits", "--url", _register.Endpoint.ToString(),
            "--ente", Inps, "--cert", "inps.pem", "--key", "inps-key.pem", "--register-cert", "register.pem", "--codice-fiscale", person]);
        var refused = await CliProcess.RunAsync(CliProcess.ClientDll, work, ["beneficiary-benefits", "--url", _register.Endpoint.ToString(),
            "--ente", Inps, "--cert", "inps.pem", "--key", "inps-key.pem", "--register-cert", "register.pem", "--codice-fiscale", "RSSMRA85T10A562X"]);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.StdOut, Does.Contain($"Signature verified. {person}: 3 benefit record(s) from 2 paying body(ies)"), result.ToString());
        Assert.That(result.StdOut, Does.Contain("F205\tComune di Milano\tA1.11").And.Contain("ANNULLATA"), result.ToString());
        ReceiptVerifier.VerifyDocument<PrestazioniBeneficiario>(File.ReadAllBytes(Path.Combine(work, "prestazioni-beneficiario.xml")), _registerCertificate);
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.StdErr, Does.Contain("SOAP fault: " + FaultCodes.DocumentInvalid), refused.ToString());
        Directory.Delete(work, recursive: true);
    }

    [Test]
    public async Task The_application_log_names_no_one_consulted()
    {
        var person = await PersonWithRecordsOfTwoBodiesAsync("FRRLNZ77T22H501");
        await ConsultAsync(SignedDocuments.SignGetBeneficiaryBenefits(Inps, _inps, person));
        Assert.ThrowsAsync<FaultException>(() => ConsultAsync(SignedDocuments.SignGetBeneficiaryBenefits("H501", _roma, person)));
        Assert.ThrowsAsync<FaultException>(() => ConsultAsync(SignedDocuments.SignGetBeneficiaryBenefits(Inps, _inps, "FRRLNZ77T22H501A")));

        var all = string.Join("\n", _logs.Entries);
        Assert.That(_logs.Entries.Any(e => e.Contains(FaultCodes.ConsultationNotAllowed, StringComparison.Ordinal)), Is.True, "the refusal is logged (by code)\n" + all);
        foreach (var cf in new[] { person, "FRRLNZ77T22H501A" })
            Assert.That(all, Does.Not.Contain(cf).IgnoreCase, "a fiscal code in the application log");
    }

    /// <summary>Every log entry of the register: message, structured properties and scopes, as text.</summary>
    private sealed class LogSink : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
        public ConcurrentQueue<string> Entries { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
        public void Dispose() { }

        private sealed class Logger(LogSink owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var text = new StringBuilder($"{logLevel} {category} {formatter(state, exception)} {exception}");
                if (state is IEnumerable<KeyValuePair<string, object?>> properties)
                    foreach (var (k, v) in properties) text.Append(' ').Append(k).Append('=').Append(v);
                owner._scopes.ForEachScope((s, sb) =>
                {
                    if (s is IEnumerable<KeyValuePair<string, object>> pairs)
                        foreach (var (k, v) in pairs) sb.Append(" [").Append(k).Append('=').Append(v).Append(']');
                    else sb.Append(" [").Append(s).Append(']');
                }, text);
                owner.Entries.Enqueue(text.ToString());
            }
        }
    }
}
