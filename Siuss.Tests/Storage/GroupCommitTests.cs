using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Siuss.Service.Flows;
using Siuss.Service.Storage;
using Siuss.Tests.Support;

namespace Siuss.Tests.Storage;

/// <summary>
/// SQLite's group commit (<see cref="WriterConnection"/>): while another writer waits for the turn, a flow's work
/// stays in a savepoint of a transaction that writer continues, and one COMMIT makes the group durable. Each flow is
/// still stored whole or not at all, and nobody is told "committed" before the group is.
/// </summary>
[TestFixture]
public sealed class GroupCommitTests
{
    private Database _database = null!;
    private string _file = null!;
    private string _agency = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _file = Path.Combine(Path.GetTempPath(), $"siuss-group-{Guid.NewGuid():N}.db");
        // No time limit on a group here: the first run of this code is JIT-compiled and may take longer than the default 10 ms.
        _database = new Database(SqlDialect.Sqlite, new SqliteConnectionStringBuilder { DataSource = _file, ForeignKeys = true }.ToString(),
            GroupCommitLimits.Default with { MaxDelay = TimeSpan.FromMinutes(5) });
        new DatabaseMigrator(_database).Migrate();
        _agency = "G" + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);
        await new AgencyRepository(_database).AddAsync(new Agency { Code = _agency, Name = "Ente", Belfiore = "H501" }, TestCertificates.Ecdsa("CN=" + _agency), DateTime.UtcNow);
    }

    [TearDown]
    public void DeleteDatabase()
    {
        _database.Dispose(); // without waiting for the turn: a failed test may have left a writer holding it
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(_file)!, Path.GetFileName(_file) + "*")) File.Delete(f);
    }

    [Test]
    public async Task A_flow_followed_by_a_waiting_writer_is_committed_with_it_and_not_reported_before()
    {
        var first = Draft();
        var writerA = await FlowWriter.BeginAsync(_database, first);
        var beginB = FlowWriter.BeginAsync(_database, Draft()); // waits for A's turn

        var commitA = writerA.CommitAsync("OK", new RecordCounts(0, 0, 0, 0), [1]);
        var writerB = await beginB;
        TestContext.Out.WriteLine("got B"); // A left the turn to B with its work still uncommitted
        Assert.That(_database.SharedWriter!.HasPendingGroup, Is.True, "A's work waits in the group B continues");
        Assert.That(commitA.IsCompleted, Is.False, "A is not told it committed before its group has");
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(0), "nothing of the group is visible yet");

        Assert.That(await writerB.CommitAsync("OK", new RecordCounts(0, 0, 0, 0), [2]), Is.True);
        Assert.That(await commitA, Is.True);
        await writerA.DisposeAsync();
        await writerB.DisposeAsync();
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(2));
        Assert.That(_database.SharedWriter.HasPendingGroup, Is.False);
    }

    [Test]
    public async Task A_flow_that_fails_inside_a_group_leaves_the_others_of_the_group_whole()
    {
        var kept = Draft();
        var writerA = await FlowWriter.BeginAsync(_database, kept);
        var beginB = FlowWriter.BeginAsync(_database, Draft());
        var commitA = writerA.CommitAsync("OK", default, [1]);
        var writerB = await beginB;
        var beginC = FlowWriter.BeginAsync(_database, Draft());

        var (b, p) = Record("GC-1");
        var id = await writerB.AddBeneficiarioAsync(b, b.CodiceFiscale);
        await writerB.ApplyAsync(id, b.CodiceFiscale, p, late: false);
        await writerB.DisposeAsync(); // B gives up: its savepoint is rolled back, the group goes on with C

        var writerC = await beginC;
        Assert.That(await writerC.CommitAsync("OK", default, [3]), Is.True);
        Assert.That(await commitA, Is.True);
        await writerA.DisposeAsync();
        await writerC.DisposeAsync();

        await using var connection = await _database.OpenAsync();
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(2), "A and C stored, B not");
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM benefit_records WHERE agency_code = @_agency", new { _agency }), Is.EqualTo(0));
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM beneficiaries b JOIN submissions s ON s.id = b.submission_id WHERE s.agency_code = @_agency", new { _agency }), Is.EqualTo(0));
    }

    [Test]
    public async Task A_group_whose_commit_fails_stores_none_of_its_flows_and_fails_every_one()
    {
        var writerA = await FlowWriter.BeginAsync(_database, Draft());
        var beginB = FlowWriter.BeginAsync(_database, Draft());
        var commitA = writerA.CommitAsync("OK", default, [1]);
        var writerB = await beginB;

        // A foreign key checked only at COMMIT (deferred) that B's part of the group breaks: the COMMIT itself fails.
        var shared = _database.SharedWriter!;
        var group = shared.PendingGroup!;
        await shared.Command("PRAGMA defer_foreign_keys = ON", group).ExecuteNonQueryAsync();
        await shared.Command("INSERT INTO beneficiary_addresses (beneficiary_id, ordinal, codice_nazione) VALUES (-42, 1, '000')", group).ExecuteNonQueryAsync();

        Assert.CatchAsync<Exception>(async () => await writerB.CommitAsync("OK", default, [2]), "B's commit fails");
        Assert.CatchAsync<Exception>(async () => await commitA, "and so does A's, committed with it");
        await writerA.DisposeAsync();
        await writerB.DisposeAsync();
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(0));

        await using (var next = await FlowWriter.BeginAsync(_database, Draft()))
            Assert.That(await next.CommitAsync("OK", default, [3]), Is.True, "the next writer starts afresh");
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_writer_on_its_own_connection_commits_the_pending_group_before_writing()
    {
        var writerA = await FlowWriter.BeginAsync(_database, Draft());
        var refused = new SubmissionRepository(_database).StoreRefusedAsync(Draft(), "RICHIESTA_INVALIDA", default, [9]);
        var commitA = writerA.CommitAsync("OK", default, [1]);

        Assert.That(await refused, Is.True, "no SQLITE_BUSY behind the open group");
        Assert.That(await commitA, Is.True);
        await writerA.DisposeAsync();
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task A_group_left_open_for_a_writer_that_then_wrote_nothing_is_committed_all_the_same()
    {
        // As when the writer in line gives up (its request is cancelled) between being counted and taking the turn.
        var writerA = await FlowWriter.BeginAsync(_database, Draft());
        var inLine = _database.Writers.EnterAsync().AsTask();

        var commitA = writerA.CommitAsync("OK", default, [1]); // leaves the group open: someone is waiting
        (await inLine).Dispose();
        Assert.That(_database.SharedWriter!.HasPendingGroup, Is.True);

        Assert.That(await commitA.WaitAsync(TimeSpan.FromSeconds(30)), Is.True, "A commits its group itself after a while");
        await writerA.DisposeAsync();
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_repeated_message_id_in_the_same_group_fails_only_once_the_first_is_visible()
    {
        var first = Draft();
        var writerA = await FlowWriter.BeginAsync(_database, first);
        var beginRepeat = FlowWriter.BeginAsync(_database, first with { NomeFlusso = FlowBuilder.NewName(_agency) });
        var commitA = writerA.CommitAsync("OK", default, [1]);

        Assert.CatchAsync<System.Data.Common.DbException>(async () => await beginRepeat, "same IdMessaggio");
        // The caller answers a repeat from another connection: the first flow is there by now.
        var stored = await new SubmissionRepository(_database).FindByMessageAsync(_agency, first.IdMessaggio);
        Assert.That(stored?.Esito, Is.EqualTo("OK"));
        Assert.That(await commitA, Is.True);
        await writerA.DisposeAsync();
    }

    [Test]
    public async Task A_large_flow_commits_the_pending_group_first_and_then_runs_alone()
    {
        var small = await FlowWriter.BeginAsync(_database, Draft());
        var beginLarge = FlowWriter.BeginAsync(_database, Draft() with { FlowSize = GroupCommitLimits.Default.MaxGroupedFlowBytes + 1 });
        var commitSmall = small.CommitAsync("OK", default, [1]); // left open for the large flow in line
        var large = await beginLarge;
        Assert.That(await commitSmall, Is.True, "the small flow does not wait for the large one");
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(1));

        await large.DisposeAsync(); // the large flow fails: only it is rolled back
        await small.DisposeAsync();
        await using (var next = await FlowWriter.BeginAsync(_database, Draft() with { FlowSize = GroupCommitLimits.Default.MaxGroupedFlowBytes + 1 }))
            Assert.That(await next.CommitAsync("OK", default, [2]), Is.True);
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(2));
        Assert.That(_database.SharedWriter!.HasPendingGroup, Is.False);
    }

    [Test]
    public async Task Many_concurrent_writers_all_commit_each_flow_once_in_groups()
    {
        const int flows = 200;
        var drafts = Enumerable.Range(0, flows).Select(_ => Draft()).ToArray();
        await Task.WhenAll(drafts.Select(d => Task.Run(async () =>
        {
            await using var writer = await FlowWriter.BeginAsync(_database, d);
            var (b, p) = Record(d.IdMessaggio);
            var id = await writer.AddBeneficiarioAsync(b, b.CodiceFiscale);
            Assert.That(await writer.ApplyAsync(id, b.CodiceFiscale, p, late: false), Is.EqualTo(ApplyOutcome.Applied));
            Assert.That(await writer.CommitAsync("OK", new RecordCounts(1, 1, 0, 0), [1]), Is.True);
        })));

        await using var connection = await _database.OpenAsync();
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(flows));
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM benefit_records WHERE agency_code = @_agency", new { _agency }), Is.EqualTo(flows));
        var cursors = (await connection.QueryAsync<long>("SELECT receipt_cursor FROM submissions WHERE agency_code = @_agency ORDER BY id", new { _agency })).ToList();
        Assert.That(cursors, Is.Ordered.Ascending.And.Unique, "cursor order follows the order the flows were written in");
    }

    [Test]
    public async Task Under_concurrent_load_a_flow_that_finds_nobody_in_line_waits_for_the_next_and_shares_its_commit()
    {
        // Disposed without waiting for the turn: a failed assertion may leave a writer holding it.
        using var database = new Database(SqlDialect.Sqlite,
            new SqliteConnectionStringBuilder { DataSource = _file, ForeignKeys = true }.ToString(),
            GroupCommitLimits.Default with { MaxFlows = 3, MaxDelay = TimeSpan.FromMinutes(5), Linger = TimeSpan.FromMinutes(5) });

        // Alone, a flow never lingers: nobody else has written lately.
        await using (var alone = await FlowWriter.BeginAsync(database, Draft()))
            Assert.That(await alone.CommitAsync("OK", default, [1]).WaitAsync(TimeSpan.FromSeconds(30)), Is.True);

        // A group of two (B waited for A's turn): writers are concurrent now.
        var writerA = await FlowWriter.BeginAsync(database, Draft());
        var beginB = FlowWriter.BeginAsync(database, Draft());
        var commitA = writerA.CommitAsync("OK", default, [1]);
        var writerB = await beginB;
        Assert.That(await writerB.CommitAsync("OK", default, [2]), Is.True, "nobody waited and the last group had no company: committed at once");
        Assert.That(await commitA, Is.True);

        // C finds nobody in line; D comes during C's linger and continues C's group.
        var writerC = await FlowWriter.BeginAsync(database, Draft());
        var commitC = writerC.CommitAsync("OK", default, [3]);
        await Task.Delay(100);
        Assert.That(commitC.IsCompleted, Is.False, "C waits for a next writer instead of committing alone");
        var writerD = await FlowWriter.BeginAsync(database, Draft());
        Assert.That(database.SharedWriter!.HasPendingGroup, Is.True, "D continues C's group");
        Assert.That(commitC.IsCompleted, Is.False, "C is not told it committed before its group has");
        var commitD = writerD.CommitAsync("OK", default, [4]);
        await Task.Delay(100);
        Assert.That(commitD.IsCompleted, Is.False, "D in turn lingers, the group having company");
        // E comes during D's linger and fills the group (MaxFlows 3): it commits at once, for all three.
        var writerE = await FlowWriter.BeginAsync(database, Draft());
        Assert.That(await writerE.CommitAsync("OK", default, [5]), Is.True);
        Assert.That(database.SharedWriter.HasPendingGroup, Is.False);
        Assert.That(await commitD.WaitAsync(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(await commitC.WaitAsync(TimeSpan.FromSeconds(30)), Is.True);
        foreach (var writer in new[] { writerA, writerB, writerC, writerD, writerE }) await writer.DisposeAsync();
        Assert.That(await CountFromAnotherConnectionAsync(), Is.EqualTo(6));
    }

    [Test]
    public async Task The_log_is_copied_into_the_database_file_in_the_background()
    {
        await using (var writer = await FlowWriter.BeginAsync(_database, Draft()))
            Assert.That(await writer.CommitAsync("OK", default, [1]), Is.True);

        // The database file alone (without its -wal) holds the flow once a checkpoint has run.
        var copy = _file + ".copy";
        long found = 0;
        for (int attempt = 0; attempt < 100 && found == 0; attempt++)
        {
            await Task.Delay(50);
            File.Copy(_file, copy, overwrite: true);
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
            await connection.OpenAsync();
            try
            {
                if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'submissions'") == 1)
                    found = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE agency_code = @_agency", new { _agency });
            }
            catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
            {
                // A copy taken while a checkpoint was writing the file can be torn (SQLITE_CORRUPT, SQLITE_NOTADB); the
                // register reads the file through its log and never sees that. Copy again.
            }
        }
        File.Delete(copy);
        Assert.That(found, Is.EqualTo(1));
    }

    [Test]
    public async Task Under_writes_that_never_pause_the_log_is_still_started_again_once_it_is_long()
    {
        // Without a pause between commits, a checkpoint never finds the log wholly copied when the next writer begins, so
        // SQLite never restarts it: it grew without bound. Past its limit, the checkpointer completes a copy in the turn.
        // Disposed without waiting for the turn: a failed assertion may leave a writer holding it.
        using var database = new Database(SqlDialect.Sqlite,
            new SqliteConnectionStringBuilder { DataSource = _file, ForeignKeys = true }.ToString(), walMaxLogFrames: 64);
        var checkpointer = database.Checkpointer!;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        long highest = 0, completedAtHighest = 0, restartedFrom = 0;
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Volatile.Read(ref restartedFrom) == 0)
            {
                // Thousands of flows: names drawn at random could repeat (and be refused as already acquired).
                await using var writer = await FlowWriter.BeginAsync(database, Draft() with { NomeFlusso = Guid.NewGuid().ToString("N") }, stop.Token);
                Assert.That(await writer.CommitAsync("OK", default, [1], stop.Token), Is.True);
            }
        })).ToList();
        while (!stop.IsCancellationRequested && restartedFrom == 0 && !writers.Any(w => w.IsFaulted))
        {
            await Task.Delay(10);
            var completed = checkpointer.CompletedInTurn;
            var frames = checkpointer.LogFrames;
            // The log's length only grows until it restarts: a log shorter than one seen before, once that one was past
            // the limit and a copy was completed in the turn after it, is a restart the checkpointer brought about.
            if (frames < highest && highest >= checkpointer.MaxLogFrames && completed > completedAtHighest)
                Volatile.Write(ref restartedFrom, highest);
            if (frames >= highest) (highest, completedAtHighest) = (frames, completed);
        }
        await Task.WhenAll(writers);

        TestContext.Out.WriteLine($"log restarted from {restartedFrom} frames; {checkpointer.CompletedInTurn} checkpoints completed in the turn");
        Assert.That(restartedFrom, Is.GreaterThanOrEqualTo(64), "the log started again from the beginning while writers kept writing");
        Assert.That(checkpointer.CompletedInTurn, Is.Positive);
    }

    private async Task<long> CountFromAnotherConnectionAsync()
    {
        await using var connection = await _database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE agency_code = @_agency", new { _agency });
    }

    private SubmissionDraft Draft() => new(
        _agency, Guid.NewGuid().ToString(), new string('a', 64), "PS_PSA_SINA", FlowBuilder.NewName(_agency), new string('b', 64), 3,
        Guid.NewGuid().ToString(), DateTime.UtcNow, "corr", [1, 2, 3], ReceivedFlow.FromBytes([4, 5, 6]));

    private static (Beneficiario, Prestazione) Record(string protocollo)
    {
        var p = new Prestazione
        {
            Progressivo = 1, TipoOperazione = "I", PresenzaProvaMezzi = "4", CaratterePrestazione = "2", CodicePrestazione = "A1.06",
            DenominazionePrestazione = "Buoni spesa", ProtocolloDomanda = protocollo, DataErogazionePrestazione = new DateOnly(2025, 3, 1),
            ImportoPrestazione = 150.25m, PresaCarico = "2",
        };
        var b = new Beneficiario { CodiceFiscale = "RSSMRA85T10A562S", Cognome = "Rossi", Nome = "Mario", AnnoNascita = "1985", LuogoNascita = "A562", Genere = "1", CodiceCittadinanza = "000" };
        b.Prestazioni.Add(p);
        return (b, p);
    }

    [Test]
    public async Task The_shared_writer_keeps_its_savepoint_journals_in_memory_and_leaves_checkpoints_to_the_checkpointer()
    {
        // On disk, every group past 64 KiB of savepoint journal created, wrote and deleted a temporary file.
        var connection = await _database.SharedWriter!.GetAsync();
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA temp_store"), Is.EqualTo(2), "2 = MEMORY");
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint"), Is.Zero);
        Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA journal_size_limit"), Is.EqualTo(WalCheckpointer.DefaultMaxLogFrames * 4096L),
            "a restarted log's file is trimmed back to about the checkpointer's limit");

        // Its connection is its own, outside the pool: once closed it is never handed to a reader with these settings.
        Assert.That(new SqliteConnectionStringBuilder(connection.ConnectionString).Pooling, Is.False);
        await using var reader = await _database.OpenAsync();
        Assert.That(await reader.ExecuteScalarAsync<long>("PRAGMA temp_store"), Is.Zero, "0 = DEFAULT");
    }

    [Test]
    public async Task Every_open_connection_has_the_configured_durability_even_when_it_comes_back_from_the_pool()
    {
        var options = new Siuss.Service.Options.SiussOptions();
        options.Database.ConnectionString = $"Data Source={_file}";
        options.Database.SqliteSynchronous = "FULL";
        await using var database = new Database(options);
        for (int i = 0; i < 3; i++)
        {
            // Closed and reopened: the same physical connection from the pool, whose pragma was set only the first time.
            await using var connection = await database.OpenAsync();
            Assert.That(await connection.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(2), $"open {i}: 2 = FULL");
        }
        // Another handle on the same file (same pool) with the default durability sets its own on the pooled connection.
        var normalOptions = new Siuss.Service.Options.SiussOptions();
        normalOptions.Database.ConnectionString = options.Database.ConnectionString;
        await using var normalDatabase = new Database(normalOptions);
        await using (var normal = await normalDatabase.OpenAsync())
            Assert.That(await normal.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(1), "1 = NORMAL");
        await using (var again = await database.OpenAsync())
            Assert.That(await again.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(2), "and FULL again for the first handle");
    }
}
