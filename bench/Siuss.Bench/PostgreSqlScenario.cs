using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Siuss.Service.Flows;
using Siuss.Service.Storage;
using Siuss.Tests.Support;

namespace Siuss.Bench;

/// <summary>
/// Scenario 5 (<c>pg</c>): the server path on PostgreSQL - cooperative traffic with 1 and 2 register processes on one
/// database, and batch ingest - each against a PostgreSQL floor measured in the same run on the same server.
/// </summary>
public static class PostgreSqlScenario
{
    public static async Task RunAsync(Report report, Options options, X509Certificate2 body)
    {
        // fsync on, as in production: a receipt is returned after the commit's WAL flush.
        using var server = ThrowawayPostgres.Start(durable: true);
        await CooperativeAsync(report, options, body, server);
        await BatchAsync(report, options, body, server);
    }

    private static async Task CooperativeAsync(Report report, Options options, X509Certificate2 body, ThrowawayPostgres server)
    {
        var section = report.Add("pg_cooperative", "5. PostgreSQL: cooperative traffic with 1 and 2 register processes on one database");
        int clients = options.ClientCounts.Max();
        var duration = options.LoadDuration;
        section.Intro.Add($"A PostgreSQL cluster started for the run (initdb, fsync on, defaults otherwise) on the same cores as the registers and " +
            $"the driver. {clients} clients in closed loop for {duration.TotalSeconds:F0} s send one-record flows, spread evenly over the register " +
            "processes (each `Siuss.Bench serve` on the same database; the first migrates it). Floor: the same rows each flow stores (submission " +
            "with its evidence and receipt, raw flow, beneficiary, address, record, receipt cursor) inserted by the same number of connections, " +
            "each flow in its own transaction, with prepared Npgsql commands.");

        foreach (int hosts in new[] { 1, 2 })
        {
            var connectionString = server.NewDatabase();
            var registers = await StartRegistersAsync(connectionString, body, hosts);
            try
            {
                using var http = Soap.NewClient(clients);
                await RunAsync(http, registers, Cooperative.Pool(body, options.Quick ? 300 : 3_000), clients, TimeSpan.FromSeconds(60));
                var pool = Cooperative.Pool(body, (int)Math.Clamp(400 * duration.TotalSeconds * hosts, 500, 40_000));
                var flows = await RunAsync(http, registers, pool, clients, duration);
                var floor = CooperativeFloor(connectionString, pool[0].Length, clients, duration);
                section.Row(("register processes", hosts), ("clients", clients), ("flows OK", flows.Completed), ("failed", flows.Failed),
                    ("flows/s", flows.PerSecond), ("p50 ms", flows.P50Ms), ("p99 ms", flows.P99Ms),
                    ("floor flows/s", floor), ("ratio to floor", flows.PerSecond / floor), ("pool used up", flows.PoolExhausted));
                if (flows.Failed > 0)
                    section.Notes.Add($"{hosts} process(es): outcomes " + string.Join(", ", flows.Outcomes.Select(kv => $"{kv.Key}={kv.Value}")));
                _oneHost = hosts == 1 ? flows.PerSecond : _oneHost;
                if (hosts == 2)
                    report.Targets.Add(new Target("PostgreSQL cooperative, 2 register processes", ">= 1.6x one process's flows/s",
                        $"{flows.PerSecond / _oneHost:F2}x ({flows.PerSecond:N0} vs {_oneHost:N0} flows/s)", flows.PerSecond >= 1.6 * _oneHost));
            }
            finally
            {
                foreach (var r in registers) await r.DisposeAsync();
            }
        }
        section.Notes.Add("Every flow's transaction ends by bumping the one-row receipt_sequence (the commit-ordered ListReceipts cursor): " +
            "flows hold that row one after another until their COMMIT's WAL flush, so a database commits at most one flow per flush " +
            "however many register processes write; on 2 shared cores the processes, the driver and PostgreSQL also compete for the CPU.");
    }

    private static double _oneHost;

    private static async Task BatchAsync(Report report, Options options, X509Certificate2 body, ThrowawayPostgres server)
    {
        var section = report.Add("pg_batch", "5b. PostgreSQL: batch ingest, one signed flow of N records");
        section.Intro.Add("One SubmitFlow round trip of an N-record flow to one register process on PostgreSQL, against the floor: " +
            "the same beneficiary, address and record rows (parsed beforehand) written with binary COPY in one transaction. Medians of the repetitions.");
        var connectionString = server.NewDatabase();
        var registers = await StartRegistersAsync(connectionString, body, 1);
        // The floor writes the same rows as the register: into a database of its own, with the same schema and body.
        var floorDatabase = server.NewDatabase();
        await using (var database = new Database(SqlDialect.PostgreSql, floorDatabase))
        {
            new DatabaseMigrator(database).Migrate();
            await new AgencyRepository(database).AddAsync(new Agency { Code = "H501", Name = "floor", Belfiore = "H501" }, null, DateTime.UtcNow);
        }
        try
        {
            using var http = Soap.NewClient(2);
            for (int i = 0; i < 3; i++) await BatchIngest.SubmitAsync(http, registers[0], body, Flows.Build("H501", Flows.NewName("H501"), 1_000));
            foreach (var n in options.BatchSizes)
            {
                int repeat = n <= 1_000 ? 3 : n <= 10_000 ? 2 : 1;
                var product = new List<double>();
                var floor = new List<double>();
                for (int i = 0; i < repeat; i++)
                {
                    var flow = Flows.Build("H501", Flows.NewName("H501"), n);
                    product.Add((await BatchIngest.SubmitAsync(http, registers[0], body, flow)).Seconds);
                    var rows = Floors.ProductReader(flow);
                    floor.Add(CopyFloor(floorDatabase, rows, flow));
                }
                double seconds = Stats.Median(product), floorSeconds = Stats.Median(floor);
                section.Row(("records", n), ("seconds", seconds), ("records/s", n / seconds), ("COPY floor s", floorSeconds),
                    ("floor records/s", n / floorSeconds), ("ratio to floor", floorSeconds / seconds));
                if (n == options.BatchSizes.Max())
                    report.Targets.Add(new Target($"PostgreSQL batch ingest, {n:N0} records", ">= 0.4 of the COPY floor",
                        $"{floorSeconds / seconds:F2}", floorSeconds / seconds >= 0.4));
            }
        }
        finally
        {
            foreach (var r in registers) await r.DisposeAsync();
        }
        section.Notes.Add("The register sends each beneficiary, address and record as its own statement (one round trip each); COPY streams them.");
    }

    // Register processes on one database: the first migrates it and registers the body, the others find both done.
    private static async Task<List<ChildRegister>> StartRegistersAsync(string connectionString, X509Certificate2 body, int count)
    {
        string[] settings = ["--Siuss:Database:Provider=PostgreSql", "--Siuss:Database:ConnectionString=" + connectionString];
        var registers = new List<ChildRegister> { await ChildRegister.StartAsync([("H501", "H501", body)], 2048, settings) };
        for (int i = 1; i < count; i++) registers.Add(await ChildRegister.StartAsync([], 2048, settings));
        return registers;
    }

    private static Task<LoadResult> RunAsync(HttpClient http, List<ChildRegister> registers, byte[][] pool, int clients, TimeSpan duration) =>
        Load.RunAsync(clients, duration, i => i < pool.Length
            ? (true, async () => (await Soap.PostAsync(http, registers[i % registers.Count].Endpoint, Soap.SubmitAction, pool[i])).Esito)
            : (false, null!));

    /// <summary>Flows/s of the cooperative floor: <paramref name="connections"/> connections, each flow's rows in a transaction of its own.</summary>
    private static double CooperativeFloor(string connectionString, int envelopeBytes, int connections, TimeSpan duration)
    {
        var sample = Flows.Build("H501", Flows.NewName("H501"), 1);
        var b = Floors.ProductReader(sample)[0];
        var p = b.Prestazioni[0];
        var evidence = new byte[envelopeBytes - sample.Length];
        var receipt = new byte[2_400];
        long done = 0;
        var clock = new Stopwatch();
        // The clock starts once every connection is open and its statements prepared.
        using var ready = new CountdownEvent(connections);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await using var c = new NpgsqlConnection(connectionString);
            await c.OpenAsync();
            await using var submission = Command(c, "INSERT INTO submissions (agency_code, id_messaggio, request_hash, tipo_flusso, nome_flusso, flow_hash, " +
                "flow_size, esito, id_acquisizione, received_at, correlation_id, record_count, raw_trasmissione, ricevuta) VALUES " +
                "('H501', @m, 'h', 'PS_PSA_SINA', @n, 'h', @size, 'OK', @acq, @at, 'c', 1, @t, @r) RETURNING id",
                ("m", ""), ("n", ""), ("size", (long)sample.Length), ("acq", ""), ("at", DateTime.UtcNow), ("t", evidence), ("r", receipt));
            await using var flow = Command(c, "INSERT INTO submission_flows (submission_id, raw_flusso) VALUES (@s, @f)", ("s", 0L), ("f", sample));
            await using var beneficiary = Command(c, "INSERT INTO beneficiaries (submission_id, codice_fiscale, cognome, nome, anno_nascita, luogo_nascita, " +
                "genere, codice_cittadinanza) VALUES (@s, @cf, @cognome, @nome, @anno, @luogo, @genere, @citt) RETURNING id",
                ("s", 0L), ("cf", b.CodiceFiscale), ("cognome", b.Cognome), ("nome", b.Nome), ("anno", b.AnnoNascita), ("luogo", b.LuogoNascita),
                ("genere", b.Genere), ("citt", b.CodiceCittadinanza));
            await using var address = Command(c, "INSERT INTO beneficiary_addresses (beneficiary_id, ordinal, codice_regione, codice_comune, codice_nazione) " +
                "VALUES (@b, 1, @r, @c, @n)", ("b", 0L), ("r", b.Indirizzi[0].CodiceRegione), ("c", b.Indirizzi[0].CodiceComune),
                ("n", b.Indirizzi[0].CodiceNazione));
            await using var record = Command(c, "INSERT INTO benefit_records (submission_id, beneficiary_id, progressivo, agency_code, codice_fiscale, " +
                "codice_prestazione, protocollo_domanda, data_riferimento, denominazione_prestazione, presenza_prova_mezzi, importo_prestazione, " +
                "presa_carico, late, status, content_digest) VALUES (@s, @b, 1, 'H501', @cf, @codice, @protocollo, @dataref, @denominazione, @ppm, @importo, " +
                "@presa, FALSE, 'A', @digest)", ("s", 0L), ("b", 0L), ("cf", b.CodiceFiscale), ("codice", p.CodicePrestazione), ("protocollo", ""),
                ("dataref", Iso(p.DataRiferimento)), ("denominazione", p.DenominazionePrestazione), ("ppm", p.PresenzaProvaMezzi),
                ("importo", p.ImportoPrestazione ?? 0m), ("presa", p.PresaCarico), ("digest", new string('0', 64)));
            await using var cursor = Command(c, "UPDATE receipt_sequence SET value = value + 1 WHERE id = 1; " +
                "UPDATE submissions SET receipt_cursor = (SELECT value FROM receipt_sequence WHERE id = 1) WHERE id = @s", ("s", 0L));
            ready.Signal();
            await go.Task;
            while (clock.Elapsed < duration)
            {
                await using var tx = await c.BeginTransactionAsync();
                foreach (var command in new[] { submission, flow, beneficiary, address, record, cursor }) command.Transaction = tx;
                var key = Guid.NewGuid().ToString();
                submission.Parameters["m"].Value = key;
                submission.Parameters["n"].Value = key[..30];
                submission.Parameters["acq"].Value = key;
                var s = (long)(await submission.ExecuteScalarAsync())!;
                flow.Parameters["s"].Value = s;
                await flow.ExecuteNonQueryAsync();
                beneficiary.Parameters["s"].Value = s;
                var id = (long)(await beneficiary.ExecuteScalarAsync())!;
                address.Parameters["b"].Value = id;
                await address.ExecuteNonQueryAsync();
                record.Parameters["s"].Value = s;
                record.Parameters["b"].Value = id;
                record.Parameters["protocollo"].Value = key[..32];
                await record.ExecuteNonQueryAsync();
                cursor.Parameters["s"].Value = s;
                await cursor.ExecuteNonQueryAsync();
                await tx.CommitAsync();
                Interlocked.Increment(ref done);
            }
        })).ToArray();
        ready.Wait();
        clock.Start();
        go.SetResult();
        Task.WaitAll(workers);
        return done / clock.Elapsed.TotalSeconds;
    }

    private static NpgsqlCommand Command(NpgsqlConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, c);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.Prepare();
        return command;
    }

    /// <summary>Seconds to write the flow's rows with binary COPY in one transaction (a submission row, then beneficiaries, addresses, records).</summary>
    private static double CopyFloor(string connectionString, List<Beneficiario> rows, byte[] flow)
    {
        using var c = new NpgsqlConnection(connectionString);
        c.Open();
        var sw = Stopwatch.StartNew();
        using var tx = c.BeginTransaction();
        long submissionId;
        using (var submission = new NpgsqlCommand("INSERT INTO submissions (agency_code, id_messaggio, request_hash, tipo_flusso, nome_flusso, flow_hash, " +
            "flow_size, esito, received_at, correlation_id, record_count, raw_trasmissione) VALUES ('H501', @m, 'h', 'PS_PSA_SINA', @m, 'h', @size, " +
            "'RICHIESTA_INVALIDA', @at, 'c', @count, '\\x00') RETURNING id", c, tx))
        {
            var key = Guid.NewGuid().ToString()[..30];
            submission.Parameters.AddWithValue("m", key);
            submission.Parameters.AddWithValue("size", (long)flow.Length);
            submission.Parameters.AddWithValue("at", DateTime.UtcNow);
            submission.Parameters.AddWithValue("count", rows.Sum(r => r.Prestazioni.Count));
            submissionId = (long)submission.ExecuteScalar()!;
        }
        using (var raw = new NpgsqlCommand("INSERT INTO submission_flows (submission_id, raw_flusso) VALUES (@s, @f)", c, tx))
        {
            raw.Parameters.AddWithValue("s", submissionId);
            raw.Parameters.AddWithValue("f", flow);
            raw.ExecuteNonQuery();
        }
        long firstId;
        using (var ids = new NpgsqlCommand($"SELECT nextval(pg_get_serial_sequence('beneficiaries', 'id')) FROM generate_series(1, {rows.Count})", c, tx))
        using (var reader = ids.ExecuteReader())
        {
            reader.Read();
            firstId = reader.GetInt64(0);
        }
        using (var copy = c.BeginBinaryImport("COPY beneficiaries (id, submission_id, codice_fiscale, cognome, nome, anno_nascita, luogo_nascita, genere, " +
            "codice_cittadinanza, codice_seconda_cittadinanza) FROM STDIN (FORMAT BINARY)"))
        {
            long id = firstId;
            foreach (var b in rows)
                copy.WriteRow(id++, submissionId, b.CodiceFiscale, b.Cognome, b.Nome, b.AnnoNascita, b.LuogoNascita, b.Genere, b.CodiceCittadinanza,
                    (object?)b.CodiceSecondaCittadinanza ?? DBNull.Value);
            copy.Complete();
        }
        using (var copy = c.BeginBinaryImport("COPY beneficiary_addresses (beneficiary_id, ordinal, codice_regione, codice_comune, codice_nazione) FROM STDIN (FORMAT BINARY)"))
        {
            long id = firstId;
            foreach (var b in rows)
            {
                for (int i = 0; i < b.Indirizzi.Count; i++)
                {
                    var a = b.Indirizzi[i];
                    copy.WriteRow(id, i + 1, (object?)a.CodiceRegione ?? DBNull.Value, (object?)a.CodiceComune ?? DBNull.Value, a.CodiceNazione);
                }
                id++;
            }
            copy.Complete();
        }
        using (var copy = c.BeginBinaryImport("COPY benefit_records (submission_id, beneficiary_id, progressivo, agency_code, codice_fiscale, codice_prestazione, " +
            "protocollo_domanda, data_riferimento, denominazione_prestazione, presenza_prova_mezzi, carattere_prestazione, numero_protocollo_dsu, " +
            "anno_protocollo_dsu, data_dsu, data_evento, data_inizio_prestazione, data_fine_prestazione, data_erogazione_prestazione, importo_prestazione, " +
            "periodo_erogazione, importo_mensile, importo_quota_ente, importo_quota_utente, importo_quota_ssn, importo_quota_richiesta, importo_soglia_isee, " +
            "ore_servizio_mensile, presa_carico, area_utenza, sina, late, status, content_digest) FROM STDIN (FORMAT BINARY)"))
        {
            long id = firstId;
            foreach (var b in rows)
            {
                foreach (var p in b.Prestazioni)
                {
                    copy.StartRow();
                    copy.Write(submissionId, NpgsqlDbType.Bigint);
                    copy.Write(id, NpgsqlDbType.Bigint);
                    copy.Write(p.Progressivo, NpgsqlDbType.Integer);
                    foreach (var text in new[] { "H501", b.CodiceFiscale, p.CodicePrestazione, p.ProtocolloDomanda, Iso(p.DataRiferimento),
                                 p.DenominazionePrestazione, p.PresenzaProvaMezzi, p.CaratterePrestazione, p.NumeroProtocolloDSU, p.AnnoProtocolloDSU,
                                 Iso(p.DataDSU), Iso(p.DataEvento), Iso(p.DataInizioPrestazione), Iso(p.DataFinePrestazione), Iso(p.DataErogazionePrestazione) })
                        Text(copy, text);
                    Number(copy, p.ImportoPrestazione);
                    if (p.PeriodoErogazione is { } periodo) copy.Write(periodo, NpgsqlDbType.Integer); else copy.WriteNull();
                    foreach (var amount in new[] { p.ImportoMensile, p.ImportoQuotaEnte, p.ImportoQuotaUtente, p.ImportoQuotaSSN, p.ImportoQuotaRichiesta,
                                 p.ImportoSogliaISEE, p.OreServizioMensile })
                        Number(copy, amount);
                    Text(copy, p.PresaCarico);
                    Text(copy, p.AreaUtenza);
                    Text(copy, p.Sina is null ? null : JsonSerializer.Serialize(p.Sina));
                    copy.Write(false, NpgsqlDbType.Boolean);
                    Text(copy, "A");
                    Text(copy, RecordContents.Digest(b.CodiceFiscale, p));
                }
                id++;
            }
            copy.Complete();
        }
        tx.Commit();
        return sw.Elapsed.TotalSeconds;
    }

    private static void Text(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null) copy.WriteNull(); else copy.Write(value, NpgsqlDbType.Varchar);
    }

    private static void Number(NpgsqlBinaryImporter copy, decimal? value)
    {
        if (value is { } v) copy.Write(v, NpgsqlDbType.Numeric); else copy.WriteNull();
    }

    private static string? Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
