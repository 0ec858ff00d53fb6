using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Siuss.Service.Flows;
using Siuss.Service.Rules;
using Siuss.Service.Storage;
using Siuss.Tests.Support;

namespace Siuss.Tests.Storage;

/// <summary>
/// The repository contract, run on every reachable dialect: SQLite always (a real file), SQL Server
/// when <c>SIUSS_TEST_SQLSERVER</c> holds a connection string.
/// </summary>
[TestFixtureSource(nameof(Dialects))]
public sealed class RepositoryContractTests(string dialectName)
{
    private const string SqlServerVariable = "SIUSS_TEST_SQLSERVER";
    private Database _database = null!;
    private string? _sqliteFile;

    public static IEnumerable<string> Dialects()
    {
        yield return "Sqlite";
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SqlServerVariable))) yield return "SqlServer";
    }

    [OneTimeSetUp]
    public void Migrate()
    {
        if (dialectName == "Sqlite")
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"siuss-contract-{Guid.NewGuid():N}.db");
            _database = new Database(SqlDialect.Sqlite, new SqliteConnectionStringBuilder { DataSource = _sqliteFile, ForeignKeys = true }.ToString());
        }
        else
        {
            _database = new Database(SqlDialect.SqlServer, Environment.GetEnvironmentVariable(SqlServerVariable)!);
        }
        new DatabaseMigrator(_database).Migrate();
        new DatabaseMigrator(_database).Migrate(); // a second run is a no-op
    }

    [OneTimeTearDown]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        if (_sqliteFile is not null) foreach (var f in Directory.GetFiles(Path.GetDirectoryName(_sqliteFile)!, Path.GetFileName(_sqliteFile) + "*")) File.Delete(f);
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
    public async Task A_query_message_id_is_accepted_once()
    {
        var agency = await NewAgencyAsync();
        var repository = new QueryMessageRepository(_database);
        var id = Guid.NewGuid().ToString();
        Assert.That(await repository.TryRecordAsync(agency, id, "GetReceipt", new string('c', 64), DateTime.UtcNow), Is.True);
        Assert.That(await repository.TryRecordAsync(agency, id, "GetReceipt", new string('c', 64), DateTime.UtcNow), Is.False);
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
            Assert.Ignore("SIUSS_TEST_SQLSERVER is not set: the repository contract ran on SQLite only (T-SQL is still parsed by ScriptDom).");
        Assert.That(RepositoryContractTests.Dialects(), Does.Contain("SqlServer"));
    }
}
