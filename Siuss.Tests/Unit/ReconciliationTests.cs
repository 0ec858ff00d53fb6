using System.Text;
using Siuss.Client.Cli;
using Siuss.Client.Reconciliation;
using Siuss.Contracts.Documents;
using Siuss.Contracts.Reconciliation;
using Siuss.Tests.Support;

namespace Siuss.Tests.Unit;

/// <summary>
/// The body's side of reconciliation without a register: a CSV export and a folder of flow files read into the
/// same records (and digests) the register publishes, and the comparison into MISSING, EXTRA and CHANGED.
/// </summary>
[TestFixture]
public sealed class ReconciliationTests
{
    private const string Cf = "RSSMRA85T10A562S";
    private string _folder = null!;

    [SetUp]
    public void Folder() => _folder = Directory.CreateTempSubdirectory("siuss-reconcile-unit-").FullName;

    [TearDown]
    public void Clean() => Directory.Delete(_folder, recursive: true);

    private static LocalRecordSet Csv(string text)
    {
        var records = new LocalRecordSet();
        CsvRecordContents.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "export.csv", records);
        return records;
    }

    private static RecordContent OneOff(string protocollo = "PROT-1", string date = "2026-11-20", decimal amount = 150m) => new()
    {
        CodiceFiscale = Cf, CodicePrestazione = "A1.06", ProtocolloDomanda = protocollo, DataRiferimento = DateOnly.Parse(date),
        DenominazionePrestazione = "Buoni spesa", PresenzaProvaMezzi = "4", CaratterePrestazione = "2",
        DataErogazionePrestazione = DateOnly.Parse(date), ImportoPrestazione = amount, PresaCarico = "2",
    };

    private static VoceRiconciliazione Register(RecordContent content, string stato = "ATTIVA", long cursor = 1) => new()
    {
        Cursore = cursor, CodiceFiscale = content.CodiceFiscale, CodicePrestazione = content.CodicePrestazione,
        ProtocolloDomanda = content.ProtocolloDomanda, DataRiferimento = content.DataRiferimento.ToDateTime(TimeOnly.MinValue),
        Stato = stato, Digest = RecordDigest.Compute(content), IdAcquisizione = Guid.NewGuid().ToString(), NomeFlusso = "H501.PS.20261127.1",
    };

    private static LocalRecordSet Local(params RecordContent[] active)
    {
        var records = new LocalRecordSet();
        for (var i = 0; i < active.Length; i++) records.Insert(active[i], new LocalSource("export.csv", i + 2, "line"));
        return records;
    }

    [Test]
    public void A_CSV_row_and_the_same_record_in_a_flow_have_the_same_digest()
    {
        var flow = new FlowBuilder().Beneficiario(b =>
        {
            b.Prestazione["DataErogazionePrestazione"] = "2026-11-20";
            b.Prestazione["ImportoPrestazione"] = "150.50";
            b.Prestazione["ProtocolloDomanda"] = "PROT-7";
        });
        var fromFlow = FlowRecordContents.Read(new MemoryStream(flow.ToBytes())).Single().Content;
        // Another column order, lower-case headers and a lower-case fiscal code, an amount written with trailing zero,
        // DataRiferimento left to be derived: the same record.
        var records = Csv(
            "importoprestazione,codicefiscale,CodicePrestazione,ProtocolloDomanda,DenominazionePrestazione,PresenzaProvaMezzi,CaratterePrestazione,DataErogazionePrestazione,PresaCarico\n" +
            "150.50,rssmra85t10a562s,A1.06,PROT-7,Buoni spesa per emergenza alimentare,4,2,2026-11-20,2\n");

        var fromCsv = records.ActiveIn("2026-11").Values.Single();

        Assert.Multiple(() =>
        {
            Assert.That(fromCsv.Digest, Is.EqualTo(RecordDigest.Compute(fromFlow)), RecordDigest.Canonical(fromCsv.Content) + "\nvs\n" + RecordDigest.Canonical(fromFlow));
            Assert.That(fromCsv.Content.DataRiferimento, Is.EqualTo(new DateOnly(2026, 11, 20)));
            Assert.That(fromCsv.Source.ToString(), Is.EqualTo("export.csv line 2"));
        });
    }

    [Test]
    public void CSV_Stato_keeps_ATTIVA_rows_and_remembers_ANNULLATA_ones_in_any_order()
    {
        var records = Csv(
            "CodiceFiscale;CodicePrestazione;ProtocolloDomanda;DataRiferimento;ImportoPrestazione;Stato\n" +
            $"{Cf};A1.06;P1;2026-11-03;180;ATTIVA\n" +
            $"{Cf};A1.06;P1;2026-11-03;150;ANNULLATA\n" +
            $"{Cf};A1.06;P2;2026-11-04;90;\n" +
            $"{Cf};A1.06;P3;2026-12-01;90;ATTIVA\n");

        var active = records.ActiveIn("2026-11");

        Assert.Multiple(() =>
        {
            Assert.That(active.Values.Select(v => v.Content.ProtocolloDomanda), Is.EquivalentTo(new[] { "P1", "P2" }), "ATTIVA or empty, in November");
            Assert.That(active.Values.Single(v => v.Content.ProtocolloDomanda == "P1").Content.ImportoPrestazione, Is.EqualTo(180m));
            Assert.That(records.VersionsOf(RecordKey.Of(active.Values.First(v => v.Content.ProtocolloDomanda == "P1").Content)), Has.Count.EqualTo(2));
            Assert.That(records.Warnings, Is.Empty);
        });
    }

    [Test]
    public void CSV_TipoOperazione_is_applied_in_row_order_like_a_flow()
    {
        var records = Csv(
            "CodiceFiscale,CodicePrestazione,ProtocolloDomanda,DataRiferimento,ImportoPrestazione,TipoOperazione\n" +
            $"{Cf},A1.06,P1,2026-11-03,150,I\n" +
            $"{Cf},A1.06,P2,2026-11-04,90,I\n" +
            $"{Cf},A1.06,P1,2026-11-03,150,C\n" +
            $"{Cf},A1.06,P1,2026-11-03,180,I\n" +
            $"{Cf},A1.06,P2,2026-11-04,90,C\n" +
            $"{Cf},A1.06,P9,2026-11-04,90,C\n");

        var active = records.ActiveIn("2026-11").Values.ToList();

        Assert.Multiple(() =>
        {
            Assert.That(active.Select(v => (v.Content.ProtocolloDomanda, v.Content.ImportoPrestazione)), Is.EqualTo(new[] { ("P1", (decimal?)180m) }));
            Assert.That(records.Warnings, Has.Count.EqualTo(1));
            Assert.That(records.Warnings[0], Does.StartWith("export.csv line 7: cancels a record that is not active"));
        });
    }

    [Test]
    public void A_quoted_CSV_field_keeps_its_separator_and_its_spaces()
    {
        var records = Csv(
            "CodiceFiscale,CodicePrestazione,ProtocolloDomanda,DataRiferimento,DenominazionePrestazione\n" +
            $"{Cf},A1.06,P1,2026-11-03,\" Buoni, spesa \"\n");

        Assert.That(records.ActiveIn("2026-11").Values.Single().Content.DenominazionePrestazione, Is.EqualTo(" Buoni, spesa "));
    }

    [TestCase("CodiceFiscale,CodicePrestazione,ProtocolloDomanda,DataRiferimento,ImportoMensille\n", "unknown column 'ImportoMensille'", TestName = "CSV with a misspelt column")]
    [TestCase("CodiceFiscale,CodicePrestazione,DataRiferimento\n", "column ProtocolloDomanda is missing", TestName = "CSV without a key column")]
    [TestCase("CodiceFiscale,CodicePrestazione,ProtocolloDomanda,Stato,TipoOperazione\n", "not both", TestName = "CSV with both state columns")]
    [TestCase("CodiceFiscale,CodicePrestazione,ProtocolloDomanda,DataRiferimento\nRSSMRA85T10A562S,A1.06,P1,20/11/2026\n", "export.csv line 2, column DataRiferimento: is not a date yyyy-MM-dd", TestName = "CSV with an Italian date")]
    [TestCase("CodiceFiscale;CodicePrestazione;ProtocolloDomanda;DataRiferimento;ImportoPrestazione\nRSSMRA85T10A562S;A1.06;P1;2026-11-20;150,50\n", "line 2, column ImportoPrestazione: is not a number with a decimal point", TestName = "CSV with a decimal comma")]
    [TestCase("CodiceFiscale,CodicePrestazione,ProtocolloDomanda,DataRiferimento,Stato\nRSSMRA85T10A562S,A1.06,P1,2026-11-20,CANCELLATA\n", "column Stato: must be ATTIVA or ANNULLATA", TestName = "CSV with an unknown state")]
    [TestCase("CodiceFiscale,CodicePrestazione,ProtocolloDomanda\nRSSMRA85T10A562S,A1.06,P1\n", "column DataRiferimento: is empty", TestName = "CSV row without any date")]
    [TestCase("CodiceFiscale,CodicePrestazione,ProtocolloDomanda,DataRiferimento\nRSSMRA85T10A562S,A1.06,P1\n", "not a well-formed CSV file", TestName = "CSV row with a field missing")]
    public void A_CSV_that_cannot_be_read_names_the_line_and_column_but_never_a_fiscal_code(string csv, string message)
    {
        var error = Assert.Throws<LocalExportException>(() => Csv(csv))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain(message));
            Assert.That(error.Message, Does.Not.Contain(Cf));
        });
    }

    [Test]
    public void A_folder_of_flows_is_applied_in_sending_order_with_corrections()
    {
        var first = new FlowBuilder(nome: "H501.PS.20261120.9").Beneficiario(b => b.Prestazione["ProtocolloDomanda"] = "P1")
            .Beneficiario(b => b.Prestazione["ProtocolloDomanda"] = "P2");
        var original = first.ToBeneficiaryPrestazione(0);
        var correction = new FlowBuilder(nome: "H501.PS.20261120.10").Beneficiario(b =>
        {
            b.Prestazioni.Clear();
            b.Prestazioni.Add(new Dictionary<string, string?>(original) { ["TipoOperazione"] = "C" });
            b.Prestazioni.Add(new Dictionary<string, string?>(original) { ["ImportoPrestazione"] = "180.00" });
        });
        // By file name "b" comes after "a", but by flow name .10 was sent after .9: the flow name decides.
        File.WriteAllBytes(Path.Combine(_folder, "a-correction.xml"), correction.ToBytes());
        File.WriteAllBytes(Path.Combine(_folder, "b-first.xml"), first.ToBytes());
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not a flow");
        // A receipt saved beside the flows is not a flow, even with an element named like a record.
        File.WriteAllText(Path.Combine(_folder, "b-first.xml.ricevuta.xml"),
            $"<Ricevuta xmlns=\"urn:siuss:documents:v1\"><PrestazioniSociali ProtocolloDomanda=\"P9\" DataErogazionePrestazione=\"{original["DataErogazionePrestazione"]}\" /></Ricevuta>");

        var records = new LocalRecordSet();
        FlowFolderRecords.ReadFolder(_folder, records);
        var periodo = RecordKey.PeriodOf(DateOnly.Parse(original["DataErogazionePrestazione"]!));
        var active = records.ActiveIn(periodo).Values.OrderBy(v => v.Content.ProtocolloDomanda).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(active.Select(v => v.Content.ProtocolloDomanda), Is.EqualTo(new[] { "P1", "P2" }));
            Assert.That(active[0].Content.ImportoPrestazione, Is.EqualTo(180m), "the correction's insert is the active version");
            Assert.That(active[0].Source.ToString(), Is.EqualTo("a-correction.xml record 2"));
            Assert.That(records.Warnings, Is.Empty);
            Assert.That(records.VersionsOf(RecordKey.Of(active[0].Content)), Has.Count.EqualTo(3), "insert, cancellation, insert");
            Assert.That(records.Operations, Is.EqualTo(4), "the two flows' records only");
        });
    }

    [Test]
    public void A_flow_with_a_DTD_in_the_folder_is_refused_by_name()
    {
        var xml = new FlowBuilder().Beneficiario().ToXml().Replace("<Flusso ", "<!DOCTYPE Flusso [<!ENTITY x \"x\">]>\n<Flusso ");
        File.WriteAllText(Path.Combine(_folder, "evil.xml"), xml);

        var error = Assert.Throws<LocalExportException>(() => FlowFolderRecords.ReadFolder(_folder, new LocalRecordSet()))!;

        Assert.That(error.Message, Is.EqualTo("evil.xml carries a DTD, which is prohibited."));
    }

    [Test]
    public void Equal_sides_have_equal_period_digests_and_no_differences()
    {
        var a = OneOff("P1");
        var b = OneOff("P2", amount: 90m);
        var local = Local(a, b);

        var comparison = RecordComparer.Compare("2026-11", local, [Register(a, cursor: 1), Register(b, cursor: 2), Register(OneOff("P0"), "ANNULLATA", 3)]);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Differences, Is.Empty);
            Assert.That(comparison.RegisterActive, Is.EqualTo(2));
            Assert.That(comparison.RegisterCancelled, Is.EqualTo(1));
            Assert.That(local.PeriodDigestOf("2026-11"), Is.EqualTo(PeriodDigest.Compute([FlowRecordContents.Keyed(b), FlowRecordContents.Keyed(a)])));
            Assert.That(local.PeriodDigestOf("2026-12"), Is.EqualTo(PeriodDigest.Compute([])), "a month without records");
        });
    }

    [Test]
    public void Missing_extra_and_changed_records_are_found_and_explained()
    {
        var same = OneOff("SAME");
        var missing = OneOff("MISSING");
        var cancelledThere = OneOff("CANCELLED");
        var extra = OneOff("EXTRA");
        var registerVersion = OneOff("CHANGED", amount: 150m);
        var localVersion = OneOff("CHANGED", amount: 180m);
        var unknownVersion = OneOff("UNKNOWN", amount: 1m);
        var local = new LocalRecordSet();
        var line = 2;
        foreach (var r in new[] { same, missing, cancelledThere })
            local.Insert(r, new LocalSource("export.csv", line++, "line"));
        local.Cancelled(registerVersion, new LocalSource("export.csv", line++, "line"));
        local.Insert(localVersion, new LocalSource("export.csv", line++, "line"));
        local.Insert(OneOff("UNKNOWN", amount: 2m), new LocalSource("export.csv", line, "line"));
        // A record of another month is not part of November's comparison.
        local.Insert(OneOff("DECEMBER", "2026-12-01"), new LocalSource("export.csv", 99, "line"));

        var comparison = RecordComparer.Compare("2026-11", local,
        [
            Register(same), Register(cancelledThere, "ANNULLATA"), Register(extra), Register(registerVersion), Register(unknownVersion),
        ]);
        var byProtocol = comparison.Differences.ToDictionary(d => d.ProtocolloDomanda);

        Assert.Multiple(() =>
        {
            Assert.That(comparison.Differences.Select(d => (d.Kind, d.ProtocolloDomanda)), Is.EqualTo(new[]
            {
                (DifferenceKind.Missing, "CANCELLED"), (DifferenceKind.Missing, "MISSING"),
                (DifferenceKind.Extra, "EXTRA"),
                (DifferenceKind.Changed, "CHANGED"), (DifferenceKind.Changed, "UNKNOWN"),
            }));
            Assert.That(byProtocol["MISSING"].Detail, Does.StartWith("not in the register; active in export.csv line 3"));
            Assert.That(byProtocol["CANCELLED"].Detail, Does.StartWith("cancelled in the register"));
            Assert.That(byProtocol["EXTRA"].Detail, Does.Contain("not active in the local export"));
            Assert.That(byProtocol["CHANGED"].Fields, Is.EqualTo(new[] { new FieldDifference("ImportoPrestazione", "150", "180") }));
            Assert.That(byProtocol["CHANGED"].Detail, Does.StartWith("the register holds the version of export.csv line 5"));
            Assert.That(byProtocol["UNKNOWN"].Fields, Is.Empty, "the register's version is not in the export");
            Assert.That(comparison.LocalActive, Is.EqualTo(5));
        });
    }

    [Test]
    public void A_record_cancelled_locally_but_active_in_the_register_is_extra_and_says_so()
    {
        var record = OneOff("P1");
        var local = new LocalRecordSet();
        local.Insert(record, new LocalSource("f.xml", 1, "record"));
        local.Cancel(record, new LocalSource("g.xml", 1, "record"));

        var difference = RecordComparer.Compare("2026-11", local, [Register(record)]).Differences.Single();

        Assert.Multiple(() =>
        {
            Assert.That(difference.Kind, Is.EqualTo(DifferenceKind.Extra));
            Assert.That(difference.Detail, Does.Contain("cancelled or replaced locally, last seen in g.xml record 1"));
        });
    }

    [TestCase("2026-11", new[] { "2026-11" })]
    [TestCase("2025-11..2026-02", new[] { "2025-11", "2025-12", "2026-01", "2026-02" })]
    public void Periodo_is_a_month_or_a_range(string value, string[] months) =>
        Assert.That(Periods.Parse(value), Is.EqualTo(months));

    [TestCase("2026-13")]
    [TestCase("11/2026")]
    [TestCase("2026-05..2026-01")]
    [TestCase("2000-01..2020-01")]
    public void A_bad_periodo_is_a_usage_error(string value) =>
        Assert.Throws<UsageException>(() => Periods.Parse(value));

    [TestCase("H501.PS.20261127.1", "abc", "H501.PS.20261127.1.abc.ricevuta.xml")]
    [TestCase("../../etc/passwd", "x", "_.._etc_passwd.x.ricevuta.xml")]
    [TestCase("", "5b0e6a55-3f59", "5b0e6a55-3f59.ricevuta.xml")]
    public void A_receipt_file_name_is_stable_and_safe(string nome, string idMessaggio, string expected) =>
        Assert.That(ReceiptArchive.FileName(new Ricevuta { NomeFlusso = nome, IdMessaggio = idMessaggio }), Is.EqualTo(expected));

    [Test]
    public void The_state_file_round_trips_and_refuses_another_body_or_garbage()
    {
        var file = new FileInfo(Path.Combine(_folder, "state.json"));
        Assert.That(ReceiptCursorState.Load(file, "H501").Cursore, Is.Zero, "no file: a fresh start");

        new ReceiptCursorState { CodiceEnte = "H501", Cursore = 42 }.Save(file);
        Assert.Multiple(() =>
        {
            Assert.That(ReceiptCursorState.Load(file, "H501").Cursore, Is.EqualTo(42));
            Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1), "no temporary file left behind");
            Assert.That(() => ReceiptCursorState.Load(file, "F205"), Throws.TypeOf<UsageException>().With.Message.Contains("belongs to body 'H501'"));
        });
        File.WriteAllText(file.FullName, "{ not json");
        Assert.That(() => ReceiptCursorState.Load(file, "H501"), Throws.TypeOf<UsageException>().With.Message.Contains("Delete it"));
    }
}
