using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Siuss.Service.Flows;
using Siuss.Service.Rules;
using Siuss.Service.Storage;
using Siuss.Tests.Support;

namespace Siuss.Tests.Storage;

/// <summary>
/// The repository contract, run on every engine of <see cref="TestDatabases"/>: SQLite (a real file), PostgreSQL (a
/// real server), SQL Server when <c>SIUSS_TEST_SQLSERVER</c> holds a connection string.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class RepositoryContractTests(string dialectName)
{
    private Database _database = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public void Migrate()
    {
        _folder = Directory.CreateTempSubdirectory("siuss-contract-").FullName;
        _database = TestDatabases.Open(dialectName, _folder);
        new DatabaseMigrator(_database).Migrate();
        new DatabaseMigrator(_database).Migrate(); // a second run is a no-op
    }

    [OneTimeTearDown]
    public async Task Cleanup()
    {
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static string UniqueCode() => "T" + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);

    private async Task<string> NewAgencyAsync()
    {
        var code = UniqueCode();
        await new AgencyRepository(_database).AddAsync(new Agency { Code = code, Name = "Ente " + code, Belfiore = "H501" }, TestCertificates.Ecdsa("CN=" + code), DateTime.UtcNow);
        return code;
    }

    private static SubmissionDraft Draft(string agency, string? name = null) => new(
        agency, Guid.NewGuid().ToString(), new string('a', 64), "PS_PSA_SINA", name ?? FlowBuilder.NewName(agency), new string('b', 64), 10,
        Guid.NewGuid().ToString(), DateTime.UtcNow, "corr", [1, 2, 3], ReceivedFlow.FromBytes([4, 5, 6]));

    private static (Beneficiario, Prestazione) Record(string protocollo, string operation = "I")
    {
        var p = new Prestazione
        {
            Progressivo = 1, TipoOperazione = operation, PresenzaProvaMezzi = "4", CaratterePrestazione = "2", CodicePrestazione = "A1.06",
            DenominazionePrestazione = "Buoni spesa", ProtocolloDomanda = protocollo, DataErogazionePrestazione = new DateOnly(2025, 3, 1),
            ImportoPrestazione = 150.25m, PresaCarico = "2",
        };
        var b = new Beneficiario { CodiceFiscale = "RSSMRA85T10A562S", Cognome = "Rossi", Nome = "Mario", AnnoNascita = "1985", LuogoNascita = "A562", Genere = "1", CodiceCittadinanza = "000" };
        b.Indirizzi.Add(new Indirizzo("12", "058091", "380"));
        b.Prestazioni.Add(p);
        return (b, p);
    }

    [Test]
    public async Task Agencies_and_pinned_certificates_round_trip_and_can_be_revoked()
    {
        var repository = new AgencyRepository(_database);
        var code = UniqueCode();
        var certificate = TestCertificates.Rsa("CN=" + code);
        await repository.AddAsync(new Agency { Code = code, Name = "Comune", Belfiore = "F205", CanConsult = true }, certificate, DateTime.UtcNow);

        var agency = await repository.FindAsync(code);
        var pinned = await repository.FindCertificateAsync(AgencyRepository.Thumbprint(certificate));
        Assert.That(agency, Is.Not.Null);
        Assert.That(agency!.Belfiore, Is.EqualTo("F205"));
        Assert.That(agency.CanConsult, Is.True);
        Assert.That(pinned!.AgencyCode, Is.EqualTo(code));
        Assert.That(pinned.Certificate, Is.EqualTo(certificate.RawData));
        Assert.That(pinned.IsRevoked, Is.False);
        Assert.That((await repository.ListAsync()).Select(a => a.Code), Does.Contain(code));

        Assert.That(await repository.RevokeCertificateAsync(code, pinned.ThumbprintSha256, DateTime.UtcNow), Is.True);
        Assert.That(await repository.RevokeCertificateAsync(code, pinned.ThumbprintSha256, DateTime.UtcNow), Is.False, "already revoked");
        Assert.That((await repository.FindCertificateAsync(pinned.ThumbprintSha256))!.IsRevoked, Is.True);
    }

    [Test]
    public async Task A_committed_flow_is_stored_whole_and_a_disposed_one_leaves_nothing()
    {
        var agency = await NewAgencyAsync();
        var kept = Draft(agency);
        await using (var writer = await FlowWriter.BeginAsync(_database, kept))
        {
            var (b, p) = Record("P-1");
            var id = await writer.AddBeneficiarioAsync(b, b.CodiceFiscale);
            Assert.That(await writer.ApplyAsync(id, b.CodiceFiscale, p, late: false), Is.EqualTo(ApplyOutcome.Applied));
            Assert.That(await writer.CommitAsync("OK", new RecordCounts(1, 1, 0, 0), [9]), Is.True);
        }
        var dropped = Draft(agency);
        await using (var writer = await FlowWriter.BeginAsync(_database, dropped))
        {
            var (b, p) = Record("P-2");
            var id = await writer.AddBeneficiarioAsync(b, b.CodiceFiscale);
            await writer.ApplyAsync(id, b.CodiceFiscale, p, late: false);
        }

        await using var connection = await _database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM benefit_records WHERE agency_code = @agency", new { agency }), Is.EqualTo(1));
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE agency_code = @agency", new { agency }), Is.EqualTo(1));
        Assert.That(await connection.ExecuteScalarAsync<decimal>("SELECT importo_prestazione FROM benefit_records WHERE agency_code = @agency", new { agency }), Is.EqualTo(150.25m));
        var stored = await new SubmissionRepository(_database).FindByMessageAsync(agency, kept.IdMessaggio);
        Assert.That(stored!.Esito, Is.EqualTo("OK"));
        Assert.That(stored.Ricevuta, Is.EqualTo(new byte[] { 9 }));
    }

    [Test]
    public async Task Duplicates_and_unknown_cancellations_are_reported_and_cancel_then_reinsert_works()
    {
        var agency = await NewAgencyAsync();
        await using var writer = await FlowWriter.BeginAsync(_database, Draft(agency));
        var (b, p) = Record("P-3");
        var id = await writer.AddBeneficiarioAsync(b, b.CodiceFiscale);

        Assert.That(await writer.ApplyAsync(id, b.CodiceFiscale, p, false), Is.EqualTo(ApplyOutcome.Applied));
        Assert.That(await writer.ApplyAsync(id, b.CodiceFiscale, p, false), Is.EqualTo(ApplyOutcome.Duplicate));
        var (_, cancel) = Record("P-3", "C");
        Assert.That(await writer.ApplyAsync(id, b.CodiceFiscale, cancel, false), Is.EqualTo(ApplyOutcome.Applied));
        Assert.That(await writer.ApplyAsync(id, b.CodiceFiscale, cancel, false), Is.EqualTo(ApplyOutcome.NotFound));
        Assert.That(await writer.ApplyAsync(id, b.CodiceFiscale, p, false), Is.EqualTo(ApplyOutcome.Applied), "re-insert after cancel");
        Assert.That(await writer.CommitAsync("OK", new RecordCounts(5, 5, 0, 0), [1]), Is.True);
    }

    [Test]
    public async Task A_flow_name_can_be_acquired_once_and_a_message_id_stored_once()
    {
        var agency = await NewAgencyAsync();
        var name = FlowBuilder.NewName(agency);
        await using (var first = await FlowWriter.BeginAsync(_database, Draft(agency, name)))
            Assert.That(await first.CommitAsync("OK", default, [1]), Is.True);
        await using (var second = await FlowWriter.BeginAsync(_database, Draft(agency, name)))
            Assert.That(await second.CommitAsync("OK", default, [1]), Is.False, "the name is already acquired");

        var submissions = new SubmissionRepository(_database);
        Assert.That(await submissions.IsFlowNameAcquiredAsync(agency, name), Is.True);
        var refused = Draft(agency, name);
        Assert.That(await submissions.StoreRefusedAsync(refused, "RICHIESTA_INVALIDA", new RecordCounts(1, 0, 1, 0), [2]), Is.True);
        Assert.That(await submissions.StoreRefusedAsync(refused, "RICHIESTA_INVALIDA", new RecordCounts(1, 0, 1, 0), [2]), Is.False, "same IdMessaggio");
    }

    [Test]
    public async Task A_writer_that_failed_inside_its_turn_leaves_the_next_one_able_to_commit()
    {
        // SQLite writers share one connection in turn: a failure inside a turn must not leak into the next.
        var agency = await NewAgencyAsync();
        var draft = Draft(agency);
        await using (var first = await FlowWriter.BeginAsync(_database, draft))
            Assert.That(await first.CommitAsync("OK", default, [1]), Is.True);
        Assert.CatchAsync<System.Data.Common.DbException>(async () =>
            await FlowWriter.BeginAsync(_database, draft with { NomeFlusso = FlowBuilder.NewName(agency) }), "same IdMessaggio");

        var next = Draft(agency);
        await using (var writer = await FlowWriter.BeginAsync(_database, next))
        {
            var (b, p) = Record("P-9");
            var id = await writer.AddBeneficiarioAsync(b, b.CodiceFiscale);
            Assert.That(await writer.ApplyAsync(id, b.CodiceFiscale, p, late: false), Is.EqualTo(ApplyOutcome.Applied));
            Assert.That(await writer.CommitAsync("OK", new RecordCounts(1, 1, 0, 0), [2]), Is.True);
        }
        var stored = await new SubmissionRepository(_database).FindByMessageAsync(agency, next.IdMessaggio);
        Assert.That(stored!.Esito, Is.EqualTo("OK"));
        Assert.That(stored.Ricevuta, Is.EqualTo(new byte[] { 2 }));
        await using var connection = await _database.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE agency_code = @agency", new { agency }), Is.EqualTo(2));
        Assert.That(await connection.ExecuteScalarAsync<byte[]>("SELECT f.raw_flusso FROM submission_flows f JOIN submissions s ON s.id = f.submission_id WHERE s.id_messaggio = @id", new { id = next.IdMessaggio }),
            Is.EqualTo(new byte[] { 4, 5, 6 }), "the raw flow is stored whole");
    }

    [Test]
    public async Task A_query_message_id_is_accepted_once()
    {
        var agency = await NewAgencyAsync();
        var repository = new QueryMessageRepository(_database);
        var id = Guid.NewGuid().ToString();
        Assert.That(await repository.TryRecordAsync(agency, id, "GetReceipt", new string('c', 64), DateTime.UtcNow), Is.True);
        Assert.That(await repository.TryRecordAsync(agency, id, "GetReceipt", new string('c', 64), DateTime.UtcNow), Is.False);
    }

    [Test]
    public async Task A_person_s_records_are_read_across_bodies_with_the_body_s_name_and_never_from_a_SINBA_submission()
    {
        var person = "X" + Guid.NewGuid().ToString("N")[..15].ToUpperInvariant();
        var (first, second) = (await NewAgencyAsync(), await NewAgencyAsync());
        foreach (var (agency, tipo, protocollo) in new[] { (first, "PS_PSA_SINA", "P-A"), (second, "PS_PSA_SINA", "P-B"), (second, "SINBA", "P-S") })
        {
            await using var writer = await FlowWriter.BeginAsync(_database, Draft(agency) with { TipoFlusso = tipo });
            var (b, p) = Record(protocollo);
            var id = await writer.AddBeneficiarioAsync(b, person);
            await writer.ApplyAsync(id, person, p, late: false);
            if (protocollo == "P-A") await writer.ApplyAsync(id, person, Record(protocollo, "C").Item2, late: false);
            Assert.That(await writer.CommitAsync("OK", new RecordCounts(1, 1, 0, 0), [1]), Is.True);
        }

        var rows = await new BeneficiaryBenefitsRepository(_database).ForPersonAsync(person);

        Assert.That(rows.Select(r => (r.AgencyCode, r.AgencyName, r.ProtocolloDomanda, r.Status)), Is.EqualTo(new[]
        {
            (first, "Ente " + first, "P-A", "C"), (second, "Ente " + second, "P-B", "A"),
        }.OrderBy(r => r.Item1, StringComparer.Ordinal)), "a record under a SINBA submission is never read by person");
        Assert.That(rows.Select(r => r.ImportoPrestazione), Is.All.EqualTo(150.25m));
        Assert.That(rows.Select(r => r.DataErogazionePrestazione?.ToString()), Is.All.StartsWith("2025-03-01").Or.StartsWith("03/01/2025"));
        Assert.That(await new BeneficiaryBenefitsRepository(_database).ForPersonAsync("Y" + person[1..]), Is.Empty);
    }

    [Test]
    public async Task Consultation_audit_rows_are_appended_searched_by_period_body_and_person_and_never_changed()
    {
        var (consultant, other) = (await NewAgencyAsync(), await NewAgencyAsync());
        var person = "Z" + Guid.NewGuid().ToString("N")[..15].ToUpperInvariant();
        var audit = new ConsultationAuditRepository(_database);
        var now = new DateTime(2026, 3, 10, 9, 30, 15, DateTimeKind.Utc);
        ConsultationAuditEntry Entry(string agency, string outcome, DateTime at) => new()
        {
            OccurredAt = at, AgencyCode = agency, SignerThumbprint = new string('d', 64), IdMessaggio = Guid.NewGuid().ToString(),
            RequestHash = new string('e', 64), CorrelationId = "corr", CodiceFiscale = person, Outcome = outcome,
            FaultCode = outcome == ConsultationOutcomes.Refused ? "ConsultationNotAllowed" : null,
            RecordCount = outcome == ConsultationOutcomes.Allowed ? 2 : 0, RecordIds = outcome == ConsultationOutcomes.Allowed ? "7 9" : "",
            AnswerHash = outcome == ConsultationOutcomes.Allowed ? new string('f', 64) : null,
        };
        var allowed = Entry(consultant, ConsultationOutcomes.Allowed, now);
        await audit.AppendAsync(allowed);
        await audit.AppendAsync(Entry(other, ConsultationOutcomes.Refused, now.AddMinutes(1)));
        await audit.AppendAsync(Entry(consultant, ConsultationOutcomes.Allowed, now.AddDays(2)));

        var day = await audit.SearchAsync(now.Date, now.Date.AddDays(1), codiceFiscale: person);
        Assert.That(day.Select(r => r.AgencyCode), Is.EqualTo(new[] { consultant, other }));
        var row = day[0];
        Assert.That((row.OccurredAt, row.OccurredAt.Kind, row.IdMessaggio, row.RecordCount, row.RecordIds, row.AnswerHash, row.FaultCode),
            Is.EqualTo((now, DateTimeKind.Utc, allowed.IdMessaggio, 2, "7 9", new string('f', 64), (string?)null)));
        Assert.That((day[1].Outcome, day[1].FaultCode, day[1].AnswerHash), Is.EqualTo((ConsultationOutcomes.Refused, "ConsultationNotAllowed", (string?)null)));
        Assert.That((await audit.SearchAsync(now.Date, now.Date.AddDays(3), agencyCode: consultant, codiceFiscale: person)), Has.Count.EqualTo(2));
        Assert.That((await audit.SearchAsync(now.Date, now.Date.AddDays(3), agencyCode: other)), Has.Count.EqualTo(1));

        Assert.CatchAsync<System.Data.Common.DbException>(() => audit.AppendAsync(allowed), "one row per IdMessaggio of a body");
        await using var connection = await _database.OpenAsync();
        Assert.CatchAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("UPDATE consultation_audit SET record_count = 0 WHERE codice_fiscale = @person", new { person }), "rows are never changed");
        Assert.CatchAsync<System.Data.Common.DbException>(() => connection.ExecuteAsync("DELETE FROM consultation_audit WHERE codice_fiscale = @person", new { person }), "rows are never deleted");
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM consultation_audit WHERE codice_fiscale = @person", new { person }), Is.EqualTo(3));
    }

    [Test]
    public async Task The_consulting_role_is_granted_and_withdrawn()
    {
        var code = await NewAgencyAsync();
        var agencies = new AgencyRepository(_database);
        Assert.That(await agencies.SetCanConsultAsync(code, true), Is.True);
        Assert.That((await agencies.FindAsync(code))!.CanConsult, Is.True);
        Assert.That(await agencies.SetCanConsultAsync(code, false), Is.True);
        Assert.That((await agencies.FindAsync(code))!.CanConsult, Is.False);
        Assert.That(await agencies.SetCanConsultAsync("NOSUCH", true), Is.False);
    }

    [Test]
    public async Task Every_stored_receipt_gets_one_cursor_in_commit_order_and_pages_are_capped_by_count_and_bytes()
    {
        var agency = await NewAgencyAsync();
        var other = await NewAgencyAsync();
        var submissions = new SubmissionRepository(_database);
        var acquired = Draft(agency);
        await using (var writer = await FlowWriter.BeginAsync(_database, acquired))
            Assert.That(await writer.CommitAsync("OK", default, [1, 1]), Is.True);
        await using (await FlowWriter.BeginAsync(_database, Draft(agency))) { } // rolled back: no receipt, no cursor
        var refused = Draft(agency);
        Assert.That(await submissions.StoreRefusedAsync(refused, "RICHIESTA_INVALIDA", default, [2, 2, 2]), Is.True);
        Assert.That(await submissions.StoreRefusedAsync(refused, "RICHIESTA_INVALIDA", default, [2, 2, 2]), Is.False);
        await submissions.StoreRefusedAsync(Draft(other), "RICHIESTA_INVALIDA", default, [3]);
        var last = Draft(agency);
        await using (var writer = await FlowWriter.BeginAsync(_database, last))
            Assert.That(await writer.CommitAsync("OK", default, [4]), Is.True);

        var repository = new ReceiptListRepository(_database);
        var all = await repository.AfterAsync(agency, 0, 100, long.MaxValue);
        var byTwo = await repository.AfterAsync(agency, 0, 2, long.MaxValue);
        var rest = await repository.AfterAsync(agency, byTwo.Receipts[^1].Cursor, 2, long.MaxValue);
        var byBytes = await repository.AfterAsync(agency, 0, 100, 4);

        Assert.Multiple(() =>
        {
            Assert.That(all.Receipts.Select(r => r.IdMessaggio), Is.EqualTo(new[] { acquired.IdMessaggio, refused.IdMessaggio, last.IdMessaggio }));
            Assert.That(all.Receipts.Select(r => r.Cursor), Is.Ordered.Ascending.And.Unique);
            Assert.That(all.More, Is.False);
            Assert.That(all.Receipts.Select(r => r.Ricevuta), Is.EqualTo(new byte[][] { [1, 1], [2, 2, 2], [4] }));
            Assert.That(all.Receipts[0].IdAcquisizione, Is.EqualTo(acquired.IdAcquisizione));
            Assert.That(all.Receipts[1].IdAcquisizione, Is.Null);
            Assert.That(all.Receipts[1].Esito, Is.EqualTo("RICHIESTA_INVALIDA"));
            Assert.That((byTwo.Receipts.Count, byTwo.More), Is.EqualTo((2, true)));
            Assert.That((rest.Receipts.Single().IdMessaggio, rest.More), Is.EqualTo((last.IdMessaggio, false)));
            Assert.That((byBytes.Receipts.Count, byBytes.More), Is.EqualTo((1, true)), "2 bytes fit in 4, the next 3 do not");
        });
        var oversized = await repository.AfterAsync(agency, 0, 100, 1);
        Assert.That(oversized.Receipts, Has.Count.EqualTo(1), "a page always carries at least one receipt");
    }

    [Test]
    public async Task On_a_server_database_a_flow_that_commits_later_gets_the_later_cursor_whatever_its_id()
    {
        if (dialectName == TestDatabases.Sqlite)
            Assert.Pass("SQLite writers are serialised from BEGIN IMMEDIATE: two flows cannot interleave, so id order is commit order there.");
        var agency = await NewAgencyAsync();
        var early = Draft(agency);
        var late = Draft(agency);
        await using (var first = await FlowWriter.BeginAsync(_database, early))
        {
            await using (var second = await FlowWriter.BeginAsync(_database, late))
                Assert.That(await second.CommitAsync("OK", default, [2]), Is.True);
            Assert.That(await first.CommitAsync("OK", default, [1]), Is.True);
        }
        var page = await new ReceiptListRepository(_database).AfterAsync(agency, 0, 10, long.MaxValue);
        Assert.That(page.Receipts.Select(r => r.IdMessaggio), Is.EqualTo(new[] { late.IdMessaggio, early.IdMessaggio }));
    }

    [Test]
    public async Task A_month_s_records_come_with_their_stored_digests_the_period_digest_and_counts_and_a_backfill_rebuilds_the_same_digests()
    {
        var agency = await NewAgencyAsync();
        var inMonth = new[] { new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), new DateOnly(2025, 3, 15) };
        var expected = new List<Siuss.Contracts.Reconciliation.KeyedDigest>();
        await using (var writer = await FlowWriter.BeginAsync(_database, Draft(agency)))
        {
            int n = 0;
            foreach (var day in inMonth.Append(new DateOnly(2025, 4, 1)).Append(new DateOnly(2025, 2, 28)))
            {
                var (b, p) = Record("M-" + n++);
                p.DataErogazionePrestazione = day;
                p.ImportoQuotaEnte = 100.10m;
                p.ImportoQuotaUtente = 50.15m;
                p.OreServizioMensile = 12.5m;
                var id = await writer.AddBeneficiarioAsync(b, b.CodiceFiscale);
                Assert.That(await writer.ApplyAsync(id, b.CodiceFiscale, p, late: false), Is.EqualTo(ApplyOutcome.Applied));
                if (inMonth.Contains(day))
                {
                    var content = RecordContents.From(b.CodiceFiscale, p);
                    expected.Add(new(content.CodiceFiscale, content.CodicePrestazione, content.ProtocolloDomanda, content.DataRiferimento, Siuss.Contracts.Reconciliation.RecordDigest.Compute(content)));
                }
            }
            var (cb, cp) = Record("M-0", "C");
            cp.DataErogazionePrestazione = inMonth[0];
            var cid = await writer.AddBeneficiarioAsync(cb, cb.CodiceFiscale);
            Assert.That(await writer.ApplyAsync(cid, cb.CodiceFiscale, cp, late: false), Is.EqualTo(ApplyOutcome.Applied));
            Assert.That(await writer.CommitAsync("OK", default, [1]), Is.True);
        }
        var active = expected.Skip(1).ToList();
        var repository = new ReconciliationRepository(_database);
        var (from, to) = (new DateOnly(2025, 3, 1), new DateOnly(2025, 4, 1));

        var all = await repository.ReadAsync(agency, from, to, 0, 100);
        var digestOnly = await repository.ReadAsync(agency, from, to, 0, 0);
        var firstTwo = await repository.ReadAsync(agency, from, to, 0, 2);
        var rest = await repository.ReadAsync(agency, from, to, firstTwo.Records[^1].Cursor, 2);

        Assert.Multiple(() =>
        {
            Assert.That((all.Active, all.Cancelled), Is.EqualTo((2, 1)));
            Assert.That(all.DigestPeriodo, Is.EqualTo(Siuss.Contracts.Reconciliation.PeriodDigest.Compute(active)));
            Assert.That(all.Records.Select(r => (r.ProtocolloDomanda, r.DataRiferimento, r.Active, r.Digest)),
                Is.EqualTo(expected.Select((e, i) => (e.ProtocolloDomanda, e.DataRiferimento, i != 0, e.Digest))));
            Assert.That(all.More, Is.False);
            Assert.That((digestOnly.Records.Count, digestOnly.DigestPeriodo, digestOnly.Active), Is.EqualTo((0, all.DigestPeriodo, 2)));
            Assert.That((firstTwo.Records.Count, firstTwo.More, rest.Records.Count, rest.More), Is.EqualTo((2, true, 1, false)));
        });

        await using (var connection = await _database.OpenAsync())
            await connection.ExecuteAsync("UPDATE benefit_records SET content_digest = NULL WHERE agency_code = @agency", new { agency });
        Assert.That(new RecordDigestBackfill(_database).Run(), Is.EqualTo(inMonth.Length + 2));
        Assert.That((await repository.ReadAsync(agency, from, to, 0, 100)).Records.Select(r => r.Digest), Is.EqualTo(expected.Select(e => e.Digest)),
            "the digest rebuilt from the stored columns equals the one computed from the parsed record");
    }

    [Test]
    public async Task The_benefit_code_table_is_seeded_once_and_read_back_with_its_dates_and_flags()
    {
        var catalog = new BenefitCodeCatalog(_database, TimeProvider.System);
        await catalog.SeedAsync();
        Assert.That(await catalog.SeedAsync(), Is.Zero, "seeding twice adds nothing");
        var table = await catalog.CurrentAsync();
        var rent = table.Find("A1.05.01")!;
        Assert.That(rent.ValidoDal, Is.EqualTo(new DateOnly(2022, 1, 1)));
        Assert.That(rent.RichiedeDataEvento, Is.True);
        Assert.That(table.Find("A2.16")!.RichiedePresaCarico, Is.True);
        Assert.That(table.All.Count, Is.EqualTo(BenefitCodeTable.Seed().Count));
    }
}

/// <summary>Says plainly when the SQL Server half of the contract did not run.</summary>
[TestFixture]
public sealed class SqlServerAvailability
{
    [Test]
    public void SqlServer_contract_runs_when_a_connection_string_is_given()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SIUSS_TEST_SQLSERVER")))
            Assert.Ignore("SIUSS_TEST_SQLSERVER is not set: the repository contract ran on SQLite and PostgreSQL only (T-SQL is still parsed by ScriptDom).");
        Assert.That(TestDatabases.Engines(), Does.Contain(TestDatabases.SqlServer));
    }
}
