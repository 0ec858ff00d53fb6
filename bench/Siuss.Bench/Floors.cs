using System.Data;
using System.Globalization;
using System.Text.Json;
using System.Xml;
using Microsoft.Data.Sqlite;
using Siuss.Service.Flows;
using Siuss.Service.Options;
using Siuss.Service.Storage;

namespace Siuss.Bench;

/// <summary>The floors: the same work done the plainest, fastest way the platform offers.</summary>
public static class Floors
{
    /// <summary>Parse floor: a bare XmlReader over the flow, every attribute value read as a string. Returns elements seen.</summary>
    public static long BareXmlReader(byte[] flow)
    {
        using var stream = new MemoryStream(flow, writable: false);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true, IgnoreComments = true,
        });
        long elements = 0, chars = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            elements++;
            while (reader.MoveToNextAttribute()) chars += reader.Value.Length;
        }
        return elements + (chars & 1);
    }

    /// <summary>For attribution: the same reader validating against the project's XSD.</summary>
    public static long ValidatingXmlReader(byte[] flow)
    {
        using var stream = new MemoryStream(flow, writable: false);
        var settings = FlowSchemas.ValidatingSettings(FlowSchemas.PsPsaSina, long.MaxValue);
        int errors = 0;
        settings.ValidationEventHandler += (_, _) => errors++;
        using var reader = XmlReader.Create(stream, settings);
        long elements = 0, chars = 0;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            elements++;
            while (reader.MoveToNextAttribute()) chars += reader.Value.Length;
        }
        if (errors > 0) throw new InvalidOperationException($"the benchmark flow has {errors} schema errors");
        return elements + (chars & 1);
    }

    /// <summary>For attribution: the product's streaming reader (XSD validation + domain objects).</summary>
    public static List<Beneficiario> ProductReader(byte[] flow)
    {
        using var stream = new MemoryStream(flow, writable: false);
        using var reader = new PsPsaSinaFlowReader(stream, FlowSchemas.PsPsaSina, long.MaxValue, 50);
        var all = reader.ReadBeneficiari().ToList();
        if (reader.SchemaErrors.Count > 0) throw new InvalidOperationException("the benchmark flow is not schema-valid: " + reader.SchemaErrors[0].Message);
        return all;
    }

    /// <summary>A fresh SQLite register database with the product's schema (DatabaseMigrator) and one body.</summary>
    public static string NewDatabase(string agencyCode)
    {
        var dir = Directory.CreateTempSubdirectory("siuss-bench-floor-").FullName;
        var options = new SiussOptions { DataDirectory = dir };
        var database = new Database(options);
        new DatabaseMigrator(database).Migrate();
        using var c = new SqliteConnection(database.ConnectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO agencies (code, name, belfiore, can_consult, registered_at) VALUES ($c, 'floor', 'H501', 0, '2025-01-01')";
        cmd.Parameters.AddWithValue("$c", agencyCode);
        cmd.ExecuteNonQuery();
        return database.ConnectionString;
    }

    /// <summary>
    /// Storage floor: the flow's rows (beneficiary, address, benefit record, as the register stores
    /// them) inserted in one transaction with prepared commands and client-side ids, then committed
    /// with the register's default durability (WAL, synchronous=NORMAL). The submission row carries no blobs
    /// unless <paramref name="flow"/> and <paramref name="trasmissione"/> are given (the evidence the register keeps).
    /// </summary>
    public static void InsertRows(string connectionString, string agencyCode, List<Beneficiario> rows, byte[]? flow, byte[]? trasmissione)
    {
        using var c = new SqliteConnection(connectionString);
        c.Open();
        using (var pragma = c.CreateCommand())
        {
            // The register's default durability (Siuss:Database:SqliteSynchronous).
            pragma.CommandText = "PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }
        using var tx = c.BeginTransaction(IsolationLevel.Serializable);

        using var sub = c.CreateCommand();
        sub.Transaction = tx;
        sub.CommandText = "INSERT INTO submissions (agency_code, id_messaggio, request_hash, tipo_flusso, nome_flusso, flow_hash, flow_size, esito, " +
            "id_acquisizione, received_at, correlation_id, record_count, raw_trasmissione, ricevuta) VALUES " +
            "($a, $m, 'h', 'PS_PSA_SINA', $n, 'h', $size, 'OK', $acq, '2025-01-01T00:00:00', 'c', $count, $t, NULL) RETURNING id";
        sub.Parameters.AddWithValue("$a", agencyCode);
        sub.Parameters.AddWithValue("$m", Guid.NewGuid().ToString());
        sub.Parameters.AddWithValue("$n", Guid.NewGuid().ToString());
        sub.Parameters.AddWithValue("$size", flow?.LongLength ?? 0);
        sub.Parameters.AddWithValue("$acq", Guid.NewGuid().ToString());
        sub.Parameters.AddWithValue("$count", rows.Sum(b => b.Prestazioni.Count));
        sub.Parameters.AddWithValue("$t", trasmissione ?? []);
        long submissionId = (long)sub.ExecuteScalar()!;
        using (var evidence = c.CreateCommand())
        {
            evidence.Transaction = tx;
            evidence.CommandText = "INSERT INTO submission_flows (submission_id, raw_flusso) VALUES ($s, $f)";
            evidence.Parameters.AddWithValue("$s", submissionId);
            evidence.Parameters.AddWithValue("$f", flow ?? []);
            evidence.ExecuteNonQuery();
        }

        long beneficiaryId = NextId(c, tx, "beneficiaries");
        using var ben = Prepare(c, tx,
            "INSERT INTO beneficiaries (id, submission_id, codice_fiscale, cognome, nome, anno_nascita, luogo_nascita, genere, codice_cittadinanza, codice_seconda_cittadinanza) " +
            "VALUES ($id, $s, $cf, $cognome, $nome, $anno, $luogo, $genere, $citt, $citt2)");
        using var addr = Prepare(c, tx,
            "INSERT INTO beneficiary_addresses (beneficiary_id, ordinal, codice_regione, codice_comune, codice_nazione) VALUES ($b, $o, $r, $c, $n)");
        using var rec = Prepare(c, tx,
            "INSERT INTO benefit_records (submission_id, beneficiary_id, progressivo, agency_code, codice_fiscale, codice_prestazione, " +
            "protocollo_domanda, data_riferimento, denominazione_prestazione, presenza_prova_mezzi, carattere_prestazione, " +
            "numero_protocollo_dsu, anno_protocollo_dsu, data_dsu, data_evento, data_inizio_prestazione, data_fine_prestazione, " +
            "data_erogazione_prestazione, importo_prestazione, periodo_erogazione, importo_mensile, importo_quota_ente, " +
            "importo_quota_utente, importo_quota_ssn, importo_quota_richiesta, importo_soglia_isee, ore_servizio_mensile, " +
            "presa_carico, area_utenza, sina, late, status) VALUES ($s, $b, $prog, $ente, $cf, $codice, $protocollo, $dataref, $denominazione, " +
            "$ppm, $carattere, $ndsu, $adsu, $ddsu, $devento, $dinizio, $dfine, $derogazione, $importo, $periodo, $mensile, " +
            "$qente, $qutente, $qssn, $qrichiesta, $soglia, $ore, $presa, $area, $sina, 0, 'A')");

        foreach (var b in rows)
        {
            var id = beneficiaryId++;
            Set(ben, id, submissionId, b.CodiceFiscale, b.Cognome, b.Nome, b.AnnoNascita, b.LuogoNascita, b.Genere, b.CodiceCittadinanza, b.CodiceSecondaCittadinanza);
            ben.ExecuteNonQuery();
            for (int i = 0; i < b.Indirizzi.Count; i++)
            {
                var a = b.Indirizzi[i];
                Set(addr, id, i + 1, a.CodiceRegione, a.CodiceComune, a.CodiceNazione);
                addr.ExecuteNonQuery();
            }
            foreach (var p in b.Prestazioni)
            {
                Set(rec, submissionId, id, p.Progressivo, agencyCode, b.CodiceFiscale, p.CodicePrestazione, p.ProtocolloDomanda,
                    Date(p.DataRiferimento), p.DenominazionePrestazione, p.PresenzaProvaMezzi, p.CaratterePrestazione,
                    p.NumeroProtocolloDSU, p.AnnoProtocolloDSU, Date(p.DataDSU), Date(p.DataEvento), Date(p.DataInizioPrestazione),
                    Date(p.DataFinePrestazione), Date(p.DataErogazionePrestazione), p.ImportoPrestazione, p.PeriodoErogazione,
                    p.ImportoMensile, p.ImportoQuotaEnte, p.ImportoQuotaUtente, p.ImportoQuotaSSN, p.ImportoQuotaRichiesta,
                    p.ImportoSogliaISEE, p.OreServizioMensile, p.PresaCarico, p.AreaUtenza,
                    p.Sina is null ? null : JsonSerializer.Serialize(p.Sina));
                rec.ExecuteNonQuery();
            }
        }
        tx.Commit();
    }

    private static long NextId(SqliteConnection c, SqliteTransaction tx, string table)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}";
        return (long)cmd.ExecuteScalar()!;
    }

    private static SqliteCommand Prepare(SqliteConnection c, SqliteTransaction tx, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        // One parameter per $name, in order of first appearance.
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(sql, @"\$\w+"))
            if (!cmd.Parameters.Contains(m.Value)) cmd.Parameters.Add(new SqliteParameter(m.Value, null));
        cmd.Prepare();
        return cmd;
    }

    private static void Set(SqliteCommand cmd, params object?[] values)
    {
        for (int i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    private static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Deletes a floor database and its WAL files.</summary>
    public static void Drop(string connectionString)
    {
        SqliteConnection.ClearAllPools();
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        try { Directory.Delete(Path.GetDirectoryName(path)!, recursive: true); } catch (IOException) { }
    }
}
