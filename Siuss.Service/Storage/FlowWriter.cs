using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Siuss.Service.Flows;

namespace Siuss.Service.Storage;

/// <summary>What applying one record to the register found.</summary>
public enum ApplyOutcome
{
    /// <summary>Inserted, or the matching active record was cancelled.</summary>
    Applied,
    /// <summary>An insert whose natural key is already active.</summary>
    Duplicate,
    /// <summary>A cancellation that matched no active record.</summary>
    NotFound,
}

/// <summary>
/// Writes one flow inside one database transaction: the submission row first, then beneficiaries and
/// records as they stream in, with commands prepared once and reused. Nothing is visible to others
/// until <see cref="CommitAsync"/>; disposing without committing rolls everything back.
/// </summary>
public sealed class FlowWriter : IAsyncDisposable
{
    private readonly Database _database;
    private readonly DbConnection _connection;
    private readonly WriterLease _lease;
    private readonly DbTransaction _transaction;
    private readonly GroupedFlow? _grouped;
    private readonly long _submissionId;
    private readonly string _agencyCode;
    private readonly DateTime _now;
    private readonly RowStatement _insertBeneficiary;
    private readonly RowStatement _insertAddress;
    private readonly RowStatement _insertRecord;
    private readonly RowStatement _cancelRecord;
    private RowStatement? _insertSinba;
    private readonly IsoDateTexts _dates = new();
    private readonly object _submissionIdBoxed;
    private bool _committed;
    private bool _rolledBack;
    private bool _turnEnded;

    private FlowWriter(Database database, DbConnection connection, WriterLease lease, DbTransaction transaction, GroupedFlow? grouped,
        long submissionId, string agencyCode, DateTime now)
    {
        _database = database;
        _connection = connection;
        _lease = lease;
        _transaction = transaction;
        _grouped = grouped;
        _submissionId = submissionId;
        _submissionIdBoxed = submissionId; // bound with every row: boxed once, not per row
        _agencyCode = agencyCode;
        _now = now;
        _insertBeneficiary = Prepare(InsertBeneficiary(database.Dialect), "s", "cf", "cognome", "nome", "anno", "luogo", "genere", "citt", "citt2");
        _insertAddress = Prepare(InsertAddress, "b", "o", "r", "c", "n");
        _insertRecord = Prepare(InsertRecordFor(database.Dialect),
            "s", "b", "prog", "ente", "cf", "codice", "protocollo", "dataref", "denominazione", "ppm", "carattere", "ndsu", "adsu",
            "ddsu", "devento", "dinizio", "dfine", "derogazione", "importo", "periodo", "mensile", "qente", "qutente", "qssn",
            "qrichiesta", "soglia", "ore", "presa", "area", "sina", "late", "digest");
        _cancelRecord = Prepare(CancelRecord, "s", "now", "ente", "cf", "codice", "protocollo", "dataref");
    }

    private const string InsertAddress =
        "INSERT INTO beneficiary_addresses (beneficiary_id, ordinal, codice_regione, codice_comune, codice_nazione) VALUES (@b, @o, @r, @c, @n)";

    private const string InsertRecord =
        "INSERT INTO benefit_records (submission_id, beneficiary_id, progressivo, agency_code, codice_fiscale, codice_prestazione, " +
        "protocollo_domanda, data_riferimento, denominazione_prestazione, presenza_prova_mezzi, carattere_prestazione, " +
        "numero_protocollo_dsu, anno_protocollo_dsu, data_dsu, data_evento, data_inizio_prestazione, data_fine_prestazione, " +
        "data_erogazione_prestazione, importo_prestazione, periodo_erogazione, importo_mensile, importo_quota_ente, " +
        "importo_quota_utente, importo_quota_ssn, importo_quota_richiesta, importo_soglia_isee, ore_servizio_mensile, " +
        "presa_carico, area_utenza, sina, late, content_digest, status) VALUES (@s, @b, @prog, @ente, @cf, @codice, @protocollo, @dataref, @denominazione, " +
        "@ppm, @carattere, @ndsu, @adsu, @ddsu, @devento, @dinizio, @dfine, @derogazione, @importo, @periodo, @mensile, " +
        "@qente, @qutente, @qssn, @qrichiesta, @soglia, @ore, @presa, @area, @sina, @late, @digest, 'A')";

    // The active natural key (ux_benefit_records_active_key): a second active record with it is a duplicate.
    private const string ActiveKeyColumns = "agency_code, codice_fiscale, codice_prestazione, protocollo_domanda, data_riferimento";
    private const string ActivePredicate = "status = 'A'";

    internal static string InsertRecordFor(SqlDialect dialect) => dialect.InsertUnlessActive(InsertRecord, ActiveKeyColumns, ActivePredicate);

    // The natural key of DOMAIN.md: body, fiscal code, benefit code, application protocol, start/payment date.
    private const string CancelRecord =
        "UPDATE benefit_records SET status = 'C', cancelled_by_submission_id = @s, cancelled_at = @now " +
        "WHERE agency_code = @ente AND codice_fiscale = @cf AND codice_prestazione = @codice AND protocollo_domanda = @protocollo " +
        "AND data_riferimento = @dataref AND status = 'A'";

    private const string InsertSinba =
        "INSERT INTO sinba_records (submission_id, agency_code, progressivo, id_beneficiario, fascia_eta, codice_nazione_residenza, " +
        "codice_regione_residenza, luogo_vita, data_prima_segnalazione, content) VALUES (@s, @ente, @prog, @id, @eta, @nazione, @regione, @luogo, @prima, @content)";

    private const string CompleteSubmission =
        "UPDATE submissions SET esito = @esito, record_count = @Total, records_valid = @Valid, records_rejected = @Rejected, " +
        "records_late = @Late, records_warned = @Warned, ricevuta = @ricevuta WHERE id = @id";

    internal static string InsertBeneficiary(SqlDialect dialect) => dialect.InsertReturningId("beneficiaries",
        "submission_id, codice_fiscale, cognome, nome, anno_nascita, luogo_nascita, genere, codice_cittadinanza, codice_seconda_cittadinanza",
        "@s, @cf, @cognome, @nome, @anno, @luogo, @genere, @citt, @citt2");

    internal static string InsertPendingSubmission(SqlDialect dialect) => SubmissionRepository.InsertReturningId(dialect);

    /// <summary>The statements built per dialect at run time (the constant ones are found by reflection), for the SQL tests.</summary>
    internal static IEnumerable<string> DialectStatements(SqlDialect dialect) =>
        [InsertBeneficiary(dialect), InsertPendingSubmission(dialect), InsertRecordFor(dialect)];

    /// <summary>
    /// Waits for the turn to write (<see cref="Database.Writers"/>), opens a transaction and inserts the
    /// submission row, still pending. The turn is held until the writer commits or is disposed. With SQLite the
    /// "transaction" is this flow's savepoint in a group the writers share (<see cref="WriterConnection"/>).
    /// </summary>
    public static async Task<FlowWriter> BeginAsync(Database database, SubmissionDraft draft, CancellationToken ct = default)
    {
        var shared = database.SharedWriter;
        if (shared is null) return await BeginOwnAsync(database, draft, ct);

        var lease = await database.Writers.EnterAsync(ct);
        GroupedFlow grouped;
        try
        {
            grouped = await shared.BeginFlowAsync(database.Dialect.WriteIsolation, draft.FlowSize, ct);
        }
        catch
        {
            await ResetSharedAsync(shared);
            lease.Dispose();
            throw;
        }
        try
        {
            var connection = await shared.GetAsync(ct);
            var id = await InsertPendingPreparedAsync(shared, connection, grouped.Transaction, database.Dialect, draft, ct);
            return new FlowWriter(database, connection, lease, grouped.Transaction, grouped, id, draft.AgencyCode, draft.ReceivedAt);
        }
        catch
        {
            await shared.DropFlowAsync(grouped);
            await shared.EndTurnAsync(grouped, database.Writers);
            lease.Dispose();
            // The row this insert collided with may belong to a flow of the same group: let it become visible
            // to the caller, who reads it from another connection to answer a repeated message.
            try { await database.WaitForGroupCommitAsync(grouped, ct); }
            catch (Exception e) when (e is not OperationCanceledException) { /* the group failed: the winner is not stored either */ }
            throw;
        }
    }

    // SQL Server: a connection and a transaction of the flow's own, opened before the (open) gate.
    private static async Task<FlowWriter> BeginOwnAsync(Database database, SubmissionDraft draft, CancellationToken ct)
    {
        var connection = await database.OpenAsync(ct);
        WriterLease? lease = null;
        try
        {
            lease = await database.Writers.EnterAsync(ct);
            var transaction = await connection.BeginTransactionAsync(database.Dialect.WriteIsolation, ct);
            var id = await SubmissionRepository.InsertAsync(connection, transaction, database.Dialect, draft, "PENDING", default, null, ct);
            return new FlowWriter(database, connection, lease, transaction, null, id, draft.AgencyCode, draft.ReceivedAt);
        }
        catch
        {
            await connection.DisposeAsync();
            lease?.Dispose();
            throw;
        }
    }

    // The pending submission row through the shared connection's compiled INSERT; same columns and values as SubmissionRepository.InsertAsync.
    private static async Task<long> InsertPendingPreparedAsync(
        WriterConnection shared, DbConnection connection, DbTransaction transaction, SqlDialect dialect, SubmissionDraft d, CancellationToken ct)
    {
        var insert = shared.Command(InsertPendingSubmission(dialect), transaction, PendingSubmissionParameters);
        Set(insert, d.AgencyCode, d.IdMessaggio, d.RequestHash, d.TipoFlusso, d.NomeFlusso, d.FlowHash, d.FlowSize, "PENDING",
            d.IdAcquisizione, d.ReceivedAt, d.CorrelationId, 0, 0, 0, 0, d.RawTrasmissione, null);
        var id = Convert.ToInt64(await insert.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);

        var rawFlow = shared.Command(SubmissionRepository.InsertRawFlow(dialect), transaction, RawFlowParameters);
        Set(rawFlow, id, d.RawFlusso.Length);
        await rawFlow.ExecuteNonQueryAsync(ct);
        await dialect.WriteRawFlowAsync(connection, id, d.RawFlusso, ct);
        return id;
    }

    // In the order of SubmissionRepository.InsertValues.
    private static readonly string[] PendingSubmissionParameters =
    [
        "AgencyCode", "IdMessaggio", "RequestHash", "TipoFlusso", "NomeFlusso", "FlowHash", "FlowSize", "Esito", "IdAcquisizione",
        "ReceivedAt", "CorrelationId", "RecordCount", "RecordsValid", "RecordsRejected", "RecordsLate", "RawTrasmissione", "Ricevuta",
    ];

    // In the order of SubmissionRepository.InsertRawFlow for SQLite (the raw flow travels as its size, for zeroblob).
    private static readonly string[] RawFlowParameters = ["SubmissionId", "RawFlussoSize"];

    // After a failure inside the turn the shared connection may hold a half-done transaction: start afresh.
    private static async ValueTask ResetSharedAsync(WriterConnection shared)
    {
        try { await shared.ResetAsync(); }
        catch (DbException) { /* the connection is being thrown away anyway */ }
    }

    /// <summary>Stores a beneficiary and its addresses; returns its id (a ValueTask: SQLite completes it synchronously, with no Task per beneficiary).</summary>
    public async ValueTask<long> AddBeneficiarioAsync(Beneficiario b, string normalizedFiscalCode, CancellationToken ct = default)
    {
        var id = await _insertBeneficiary.InsertAsync([_submissionIdBoxed, normalizedFiscalCode, b.Cognome, b.Nome, b.AnnoNascita,
            b.LuogoNascita, b.Genere, b.CodiceCittadinanza, b.CodiceSecondaCittadinanza], ct);
        for (int i = 0; i < b.Indirizzi.Count; i++)
        {
            var a = b.Indirizzi[i];
            await _insertAddress.ExecuteAsync([id, i + 1, a.CodiceRegione, a.CodiceComune, a.CodiceNazione], ct);
        }
        return id;
    }

    /// <summary>Applies one record: an insert, or the cancellation of the active record with the same natural key.</summary>
    public Task<ApplyOutcome> ApplyAsync(long beneficiaryId, string fiscalCode, Prestazione p, bool late, CancellationToken ct = default) =>
        ApplyAsync(beneficiaryId, fiscalCode, p, late, StoredForm.Of(fiscalCode, p), ct);

    /// <summary>
    /// Applies one record whose stored form (content digest, SINA as JSON) the caller computed, e.g. on the thread
    /// that read it, so the writer's turn is spent on the database.
    /// </summary>
    internal async Task<ApplyOutcome> ApplyAsync(long beneficiaryId, string fiscalCode, Prestazione p, bool late, StoredForm stored, CancellationToken ct = default)
    {
        var dataRiferimento = _dates.Of(p.DataRiferimento);
        if (p.TipoOperazione == "C")
        {
            return await _cancelRecord.ExecuteAsync([_submissionIdBoxed, _now, _agencyCode, fiscalCode, p.CodicePrestazione,
                p.ProtocolloDomanda, dataRiferimento], ct) == 0 ? ApplyOutcome.NotFound : ApplyOutcome.Applied;
        }

        try
        {
            var inserted = await _insertRecord.ExecuteAsync([_submissionIdBoxed, beneficiaryId, p.Progressivo, _agencyCode, fiscalCode, p.CodicePrestazione,
                p.ProtocolloDomanda, dataRiferimento, p.DenominazionePrestazione, p.PresenzaProvaMezzi, p.CaratterePrestazione,
                p.NumeroProtocolloDSU, p.AnnoProtocolloDSU, _dates.Of(p.DataDSU), _dates.Of(p.DataEvento), _dates.Of(p.DataInizioPrestazione),
                _dates.Of(p.DataFinePrestazione), _dates.Of(p.DataErogazionePrestazione), p.ImportoPrestazione, p.PeriodoErogazione,
                p.ImportoMensile, p.ImportoQuotaEnte, p.ImportoQuotaUtente, p.ImportoQuotaSSN, p.ImportoQuotaRichiesta,
                p.ImportoSogliaISEE, p.OreServizioMensile, p.PresaCarico, p.AreaUtenza,
                stored.SinaJson, late ? BoxedTrue : BoxedFalse, stored.ContentDigest], ct);
            return inserted == 0 && _database.Dialect.ReportsActiveClashAsNoRow ? ApplyOutcome.Duplicate : ApplyOutcome.Applied;
        }
        catch (DbException e) when (_database.Dialect.IsUniqueViolation(e))
        {
            return ApplyOutcome.Duplicate;
        }
    }

    /// <summary>Stores one anonymous SINBA assessment.</summary>
    public async Task AddSinbaAsync(SinbaRecord r, CancellationToken ct = default)
    {
        _insertSinba ??= Prepare(InsertSinba, "s", "ente", "prog", "id", "eta", "nazione", "regione", "luogo", "prima", "content");
        await _insertSinba.ExecuteAsync([_submissionIdBoxed, _agencyCode, r.Progressivo, r.IdBeneficiario, r.FasciaEtaBeneficiario,
            r.CodiceNazioneResidenza, r.CodiceRegioneResidenza, r.LuogoVita, r.DataPrimaSegnalazione?.ToString() ?? "", JsonSerializer.Serialize(r)], ct);
    }

    /// <summary>
    /// Records the outcome and receipt on the submission and commits; returns once the flow is durable. Returns false
    /// (and rolls back) when another flow with the same name was acquired meanwhile.
    /// </summary>
    public async Task<bool> CommitAsync(string esito, RecordCounts counts, byte[] ricevuta, CancellationToken ct = default)
    {
        if (_grouped is { } grouped) return await CommitGroupedAsync(grouped, esito, counts, ricevuta, ct);
        try
        {
            await _connection.ExecuteAsync(
                CompleteSubmission,
                new { esito, counts.Total, counts.Valid, counts.Rejected, counts.Late, counts.Warned, ricevuta, id = _submissionId }, _transaction);
            await ReceiptCursor.AssignAsync(_connection, _transaction, _submissionId, ct);
        }
        catch (DbException e) when (_database.Dialect.IsUniqueViolation(e))
        {
            await _transaction.RollbackAsync(ct);
            _rolledBack = true;
            _lease.Dispose();
            return false;
        }
        await _transaction.CommitAsync(ct);
        _committed = true;
        _lease.Dispose();
        return true;
    }

    private async Task<bool> CommitGroupedAsync(GroupedFlow grouped, string esito, RecordCounts counts, byte[] ricevuta, CancellationToken ct)
    {
        var shared = Shared!;
        try
        {
            var complete = shared.Command(CompleteSubmission, _transaction, "esito", "Total", "Valid", "Rejected", "Late", "Warned", "ricevuta", "id");
            Set(complete, esito, counts.Total, counts.Valid, counts.Rejected, counts.Late, counts.Warned, ricevuta, _submissionId);
            await complete.ExecuteNonQueryAsync(ct);
            var cursor = shared.Command(ReceiptCursor.Statement, _transaction, "submissionId");
            Set(cursor, _submissionId);
            await cursor.ExecuteNonQueryAsync(ct);
        }
        catch (DbException e) when (_database.Dialect.IsUniqueViolation(e))
        {
            await shared.DropFlowAsync(grouped);
            _rolledBack = true;
            await EndTurnAsync();
            return false;
        }
        await shared.KeepFlowAsync(grouped, ct);
        _committed = true;
        await EndTurnAsync();
        await _database.WaitForGroupCommitAsync(grouped, ct);
        return true;
    }

    // Commits the group or leaves it to the next writer in line, then lets that writer in. Once only.
    private async Task EndTurnAsync()
    {
        if (_turnEnded) return;
        _turnEnded = true;
        try { await Shared!.EndTurnAsync(_grouped!, _database.Writers); }
        finally { _lease.Dispose(); }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_grouped is { } grouped)
        {
            if (!_committed && !_rolledBack && !_turnEnded) await Shared!.DropFlowAsync(grouped);
            await EndTurnAsync();
            return;
        }
        if (!_committed && !_rolledBack)
        {
            try { await _transaction.RollbackAsync(); }
            catch (InvalidOperationException) { /* already rolled back */ }
        }
        await _transaction.DisposeAsync();
        foreach (var command in new[] { _insertBeneficiary, _insertAddress, _insertRecord, _cancelRecord, _insertSinba })
            if (command is not null) await command.DisposeAsync();
        await _connection.DisposeAsync();
        _lease.Dispose();
    }

    private WriterConnection? Shared => _database.SharedWriter;

    // SQLite: the shared connection's compiled row statement. SQL Server: a command of this flow's own connection.
    private RowStatement Prepare(string sql, params string[] parameterNames)
    {
        if (Shared is { } shared) return shared.Row(sql, parameterNames);
        var command = RowStatement.CreateCommand(_connection, sql, parameterNames);
        command.Transaction = _transaction;
        if (_database.Dialect.PreparesUntypedCommands) command.Prepare();
        return RowStatement.Of(command, owned: true);
    }

    // A span, not an array: the values of each row are gathered on the stack rather than in a new object[].
    private static void Set(DbCommand command, params ReadOnlySpan<object?> values) => RowStatement.Bind(command, values);

    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;
}

/// <summary>What an inserted record stores besides its fields, computed from the record alone: its content digest and its SINA block as JSON.</summary>
public readonly record struct StoredForm(string ContentDigest, string? SinaJson)
{
    /// <summary>The stored form of <paramref name="p"/> for the (normalised) <paramref name="fiscalCode"/>; nothing for a cancellation.</summary>
    public static StoredForm Of(string fiscalCode, Prestazione p) => p.TipoOperazione == "C"
        ? default
        : new(RecordContents.Digest(fiscalCode, p), p.Sina is null ? null : JsonSerializer.Serialize(p.Sina));
}
