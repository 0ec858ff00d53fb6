using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Microsoft.Data.Sqlite;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Service.Flows;
using Siuss.Service.Storage;

namespace Siuss.Bench;

/// <summary>
/// Scenario 4b: a batch job paging through a large register with ListReceipts (every receipt) and
/// ReconcileRecords (every month), against the same keyset-paginated SELECTs run straight on the file.
/// </summary>
public static class ReadSidePaging
{
    private const int RecordsPerFlow = 100, ReceiptLimit = 100, RecordLimit = 5000;
    private static readonly DateOnly FirstDay = new(2025, 1, 1);

    public static async Task RunAsync(Report report, Options options, X509Certificate2 body)
    {
        int records = options.Quick ? 20_000 : 1_000_000;
        int flows = records / RecordsPerFlow;
        var section = report.Add("read_side_paging", $"4b. Read side: ListReceipts and ReconcileRecords over {records:N0} records");
        section.Intro.Add($"The register's file is filled through the storage floor's bulk path with {records:N0} one-off records in {flows:N0} flows of " +
            $"{RecordsPerFlow} (dates spread over the 12 months of 2025), each flow's submission carrying a real signed receipt of a " +
            $"{RecordsPerFlow}-record flow, cursors assigned in id order and record digests filled by the register's own backfill. " +
            $"One client then pages like a batch job, one signed Richiesta (RSA-2048, signed in the loop) per page: ListReceipts with Limit {ReceiptLimit} " +
            $"from cursor 0 to the end, and ReconcileRecords with Limit {RecordLimit} through every month. Floor: the same keyset-paginated SELECT " +
            "(same columns, same page size, ricevuta blobs read) run on the file by one thread. Each ReconcileRecords page also recomputes the " +
            "month's DigestPeriodo and counts, which the floor does not do: the ratio includes that cost. Both answers are signed whole by the " +
            "register (enveloped XML-DSig over the serialised bytes, streaming exclusive c14n; each ListReceipts page embeds its receipts in " +
            "base64, so a page of 100 receipts of 15 KB is a 2 MB document to serialise, canonicalise and digest).");

        await using var register = await ChildRegister.StartAsync([("H501", "H501", body)], 2_400);
        using var http = Soap.NewClient(1);
        var receipt = await SampleReceiptAsync(http, register, body);
        var fill = Stopwatch.StartNew();
        Populate(register.DatabasePath, flows, receipt);
        section.Notes.Add($"Filled in {fill.Elapsed.TotalSeconds:F0} s (bulk insert, cursor assignment, digest backfill); stored receipt {receipt.Length:N0} bytes.");

        // Warm up both operations (serialisers, JIT, page cache) outside the clock.
        await Soap.PostAsync(http, register.Endpoint, Namespaces.Service + "/ListReceipts", Soap.Envelope("ListReceipts", Namespaces.Service,
            ("Richiesta", SignedDocuments.SignListReceipts("H501", body, 0, 1))));
        await Soap.PostAsync(http, register.Endpoint, Namespaces.Service + "/ReconcileRecords", Soap.Envelope("ReconcileRecords", Namespaces.Service,
            ("Richiesta", SignedDocuments.SignReconcileRecords("H501", body, "2025-01", 0, 1))));

        // ListReceipts.
        var (listed, listSeconds) = await PageAsync(http, register, since => Soap.Envelope("ListReceipts", Namespaces.Service,
            ("Richiesta", SignedDocuments.SignListReceipts("H501", body, since, ReceiptLimit))), Namespaces.Service + "/ListReceipts", "AltreRicevute", "Voce");
        var (floorListed, floorListSeconds) = FloorReceipts(register.DatabasePath);
        section.Row(("operation", "ListReceipts"), ("records in register", records), ("rows", listed), ("page", ReceiptLimit),
            ("seconds", listSeconds), ("rows/s", listed / listSeconds), ("raw SELECT rows/s", floorListed / floorListSeconds),
            ("ratio to raw SELECT", listed / listSeconds / (floorListed / floorListSeconds)));
        if (listed != flows + 1) section.Notes.Add($"ListReceipts listed {listed} receipts, expected {flows + 1} (the bulk flows and the sample one).");

        // ReconcileRecords, every month.
        int reconciled = 0;
        double reconcileSeconds = 0;
        for (int month = 0; month < 12; month++)
        {
            var periodo = FirstDay.AddMonths(month).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var (rows, seconds) = await PageAsync(http, register, since => Soap.Envelope("ReconcileRecords", Namespaces.Service,
                ("Richiesta", SignedDocuments.SignReconcileRecords("H501", body, periodo, since, RecordLimit))), Namespaces.Service + "/ReconcileRecords", "AltriRecord", "Record");
            reconciled += rows;
            reconcileSeconds += seconds;
        }
        var (floorReconciled, floorReconcileSeconds) = FloorRecords(register.DatabasePath);
        section.Row(("operation", "ReconcileRecords"), ("records in register", records), ("rows", reconciled), ("page", RecordLimit),
            ("seconds", reconcileSeconds), ("rows/s", reconciled / reconcileSeconds), ("raw SELECT rows/s", floorReconciled / floorReconcileSeconds),
            ("ratio to raw SELECT", reconciled / reconcileSeconds / (floorReconciled / floorReconcileSeconds)));
        if (reconciled != records) section.Notes.Add($"ReconcileRecords listed {reconciled} records, expected {records}.");
    }

    // A real receipt of a RecordsPerFlow-record flow, to store on every bulk submission.
    private static async Task<byte[]> SampleReceiptAsync(HttpClient http, ChildRegister register, X509Certificate2 body)
    {
        var flow = Flows.Build("H501", Flows.NewName("H501"), RecordsPerFlow);
        var answer = await Soap.PostAsync(http, register.Endpoint, Soap.SubmitAction,
            Soap.SubmitFlow(SignedDocuments.SignTrasmissione(flow, "H501", BatchIngest.NameOf(flow), body), flow));
        if (answer.Esito != Esiti.Ok) throw new InvalidOperationException("sample flow: " + answer.Esito);
        return answer.Result!;
    }

    private static void Populate(string databasePath, int flows, byte[] receipt)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, ForeignKeys = true, DefaultTimeout = 60 }.ToString();
        int next = 0;
        for (int f = 0; f < flows; f++)
        {
            var rows = new List<Beneficiario>(RecordsPerFlow);
            for (int r = 0; r < RecordsPerFlow; r++, next++)
            {
                var b = new Beneficiario
                {
                    CodiceFiscale = Flows.FiscalCodeFor(next), Cognome = "Rossi", Nome = "Maria", AnnoNascita = "1985", LuogoNascita = "A562",
                    Genere = "2", CodiceCittadinanza = "380",
                };
                b.Indirizzi.Add(new Indirizzo("12", "058091", "380"));
                b.Prestazioni.Add(new Prestazione
                {
                    Progressivo = r + 1, PresenzaProvaMezzi = "4", CaratterePrestazione = "2", CodicePrestazione = "A1.06",
                    DenominazionePrestazione = "Buoni spesa per emergenza alimentare", ProtocolloDomanda = "B" + next,
                    DataErogazionePrestazione = FirstDay.AddDays(next % 365), ImportoPrestazione = 150.50m, PresaCarico = "2",
                });
                rows.Add(b);
            }
            Floors.InsertRows(connectionString, "H501", rows, null, null);
        }
        using (var c = new SqliteConnection(connectionString))
        {
            c.Open();
            using var tx = c.BeginTransaction();
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            // The bulk rows are acquired flows with a receipt: cursors in id order, as migration 0004 assigns them.
            cmd.CommandText = "UPDATE submissions SET ricevuta = $r, receipt_cursor = id WHERE ricevuta IS NULL; " +
                "UPDATE receipt_sequence SET value = (SELECT MAX(receipt_cursor) FROM submissions);";
            cmd.Parameters.AddWithValue("$r", receipt);
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
        new RecordDigestBackfill(new Database(SqlDialect.Sqlite, connectionString)).Run();
    }

    /// <summary>Pages from cursor 0 until the answer says nothing more follows; returns the entries seen and the seconds taken.</summary>
    private static async Task<(int Rows, double Seconds)> PageAsync(HttpClient http, ChildRegister register, Func<long, byte[]> envelope,
        string action, string moreElement, string entryElement)
    {
        long since = 0;
        int rows = 0;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await Soap.PostAsync(http, register.Endpoint, action, envelope(since));
            if (answer.IsFault) throw new InvalidOperationException($"{action}: {answer.FaultCode} {answer.FaultString}");
            var (count, next, more) = Scan(answer.Result!, moreElement, entryElement);
            rows += count;
            since = next;
            if (!more) return (rows, clock.Elapsed.TotalSeconds);
        }
    }

    // Entries, ProssimoCursore and the "more" flag of an answer, read with a plain reader (no signature check: that is the body's cost).
    private static (int Count, long Next, bool More) Scan(byte[] document, string moreElement, string entryElement)
    {
        using var stream = new MemoryStream(document, writable: false);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        int count = 0;
        long next = 0;
        bool more = false;
        reader.Read();
        while (!reader.EOF)
        {
            // ReadElementContent* leaves the reader on the next node already: no Read() after it.
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "ProssimoCursore") next = reader.ReadElementContentAsLong();
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == moreElement) more = reader.ReadElementContentAsBoolean();
            else
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == entryElement) count++;
                reader.Read();
            }
        }
        return (count, next, more);
    }

    private static (int Rows, double Seconds) FloorReceipts(string databasePath)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT receipt_cursor, id_messaggio, id_acquisizione, nome_flusso, tipo_flusso, esito, received_at, ricevuta " +
            "FROM submissions WHERE agency_code = $a AND receipt_cursor > $s ORDER BY receipt_cursor LIMIT $n";
        cmd.Parameters.AddWithValue("$a", "H501");
        var since = cmd.Parameters.AddWithValue("$s", 0L);
        cmd.Parameters.AddWithValue("$n", ReceiptLimit);
        cmd.Prepare();
        int rows = 0;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            int page = 0;
            using (var reader = cmd.ExecuteReader())
                while (reader.Read())
                {
                    since.Value = reader.GetInt64(0);
                    _ = (byte[])reader.GetValue(7);
                    page++;
                }
            rows += page;
            if (page < ReceiptLimit) return (rows, clock.Elapsed.TotalSeconds);
        }
    }

    private static (int Rows, double Seconds) FloorRecords(string databasePath)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT r.id, r.codice_fiscale, r.codice_prestazione, r.protocollo_domanda, r.data_riferimento, r.status, r.content_digest, " +
            "s.id_acquisizione, s.nome_flusso FROM benefit_records r JOIN submissions s ON s.id = r.submission_id " +
            "WHERE r.agency_code = $a AND r.data_riferimento >= $from AND r.data_riferimento < $to AND r.id > $s ORDER BY r.id LIMIT $n";
        cmd.Parameters.AddWithValue("$a", "H501");
        var from = cmd.Parameters.AddWithValue("$from", "");
        var to = cmd.Parameters.AddWithValue("$to", "");
        var since = cmd.Parameters.AddWithValue("$s", 0L);
        cmd.Parameters.AddWithValue("$n", RecordLimit);
        cmd.Prepare();
        int rows = 0;
        var clock = Stopwatch.StartNew();
        for (int month = 0; month < 12; month++)
        {
            from.Value = FirstDay.AddMonths(month).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            to.Value = FirstDay.AddMonths(month + 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            since.Value = 0L;
            while (true)
            {
                int page = 0;
                using (var reader = cmd.ExecuteReader())
                    while (reader.Read())
                    {
                        since.Value = reader.GetInt64(0);
                        _ = reader.GetString(6);
                        page++;
                    }
                rows += page;
                if (page < RecordLimit) break;
            }
        }
        return (rows, clock.Elapsed.TotalSeconds);
    }
}
