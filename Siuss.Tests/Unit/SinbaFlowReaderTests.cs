using System.Text;
using System.Xml;
using System.Xml.Schema;
using Siuss.Service.Flows;
using Siuss.Service.Rules;
using Siuss.Signing;

namespace Siuss.Tests.Unit;

/// <summary>
/// The streaming SINBA reader on the conformance samples and on generated flows: every attribute
/// read, one record at a time, schema errors with their position, DTDs refused, IDBeneficiario
/// never interpreted nor echoed.
/// </summary>
[TestFixture]
public sealed class SinbaFlowReaderTests
{
    private const int MaxErrors = 50;
    private static readonly Lazy<XmlSchemaSet> Schemas = new(() => FlowSchemas.Compile("SINBA.xsd"));

    private static string SamplesFolder => Path.Combine(AppContext.BaseDirectory, "Conformance", "Samples", "Sinba");

    public static IEnumerable<TestCaseData> Samples(string prefix) =>
        Directory.EnumerateFiles(SamplesFolder, prefix + "*.xml").Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileName(f)).SetArgDisplayNames(Path.GetFileName(f)));

    [TestCaseSource(nameof(Samples), new object[] { "valid-" })]
    public void A_valid_sample_reads_without_schema_errors_and_yields_every_record(string sample)
    {
        var (records, reader) = ReadAll(File.ReadAllBytes(Path.Combine(SamplesFolder, sample)));

        Assert.Multiple(() =>
        {
            Assert.That(reader.SchemaErrors, Is.Empty);
            Assert.That(records, Is.Not.Empty);
            Assert.That(records.Select(r => r.Progressivo), Is.EqualTo(Enumerable.Range(1, records.Count)));
            Assert.That(reader.RecordCount, Is.EqualTo(records.Count));
            Assert.That(reader.Identification, Is.Not.Null);
            Assert.That(records.All(r => r.DataPrimaSegnalazione is not null && r.CodiciPrestazione.Count > 0 && r.ComposizioneFamiglia.Count > 0));
        });
    }

    [TestCaseSource(nameof(Samples), new object[] { "invalid-" })]
    public void An_invalid_sample_is_reported_by_the_embedded_project_schema(string sample)
    {
        var (_, reader) = ReadAll(File.ReadAllBytes(Path.Combine(SamplesFolder, sample)));

        Assert.That(reader.SchemaErrors, Is.Not.Empty);
        Assert.That(reader.SchemaErrors.Select(e => e.Code), Is.All.EqualTo(RuleCodes.FlowSchemaInvalid));
    }

    [Test]
    public void Every_attribute_and_both_lists_are_read()
    {
        var (records, reader) = ReadAll(File.ReadAllBytes(Path.Combine(SamplesFolder, "valid-foster-care-judicial.xml")));
        var r = records.Single();

        Assert.Multiple(() =>
        {
            Assert.That(reader.Identification, Is.EqualTo(new FlowIdentification(
                "F839.SINBA.20250520.0000001", "F839", "Comune di Napoli - Servizio Politiche per l'Infanzia e l'Adolescenza", "F839", "SPSNNA72M52F839L")));
            Assert.That(r.IdBeneficiario, Is.EqualTo("NA-AFF-0000731"));
            Assert.That((r.MinoreStranieroNoAcc, r.CondizioneMinore, r.LuogoVita, r.ScuolaFrequentata, r.CondizioneLavoro, r.Disabilita),
                Is.EqualTo(("2", "1", "3", "4", "1", "2")));
            Assert.That((r.TipoDisabilita, r.InvCivCertificazioni), Is.EqualTo(((string?)null, (string?)null)));
            Assert.That((r.CodiceCittadinanzaPadre, r.CodiceCittadinanzaMadre, r.CodiceRegioneResidenzaPadre, r.CodiceRegioneResidenzaMadre),
                Is.EqualTo(("380", "380", "15", "15")));
            Assert.That((r.TitoloStudioPadre, r.TitoloStudioMadre, r.OccupazionePadre, r.OccupazioneMadre), Is.EqualTo(("2", "3", "7", "2")));
            Assert.That(r.DataPrimaSegnalazione, Is.EqualTo(new MeseAnno(2022, 2)));
            Assert.That((r.FonteSegnalazione, r.ValutazioneMinore, r.ValutazioneFamigliaMinore), Is.EqualTo(("3", "4", "3")));
            Assert.That((r.SegnalazioneAutoritaGiudiziaria, r.DataSegnalazione), Is.EqualTo(("1", (MeseAnno?)new MeseAnno(2022, 4))));
            Assert.That((r.ProvvedimentoGiudiziario, r.DataProvvedimentoGiudiziario, r.AutoritaProvvedimento, r.PotestaTutela, r.TipoProvvedimentoGiudiziario),
                Is.EqualTo(("1", (MeseAnno?)new MeseAnno(2022, 7), "2", "1", "4")));
            Assert.That((r.FormaInterventoAffido, r.TipoInterventoAffido, r.DurataAffido, r.CarattereAffido, r.EsitoAffido),
                Is.EqualTo(("2", "2", "1", "1", (string?)null)));
            Assert.That(r.CarattereInserimentoResidenziale ?? r.FormaInserimentoResidenziale ?? r.TipoInserimentoResidenziale ?? r.EsitoInserimentoStruttura, Is.Null);
            Assert.That((r.MotivazioneChiusuraCarico, r.SituazioneChiusuraCarico, r.CollaborazioniInterventi), Is.EqualTo(((string?)null, (string?)null, "1")));
            Assert.That((r.NumeroComponentiISEE, r.FasciaEtaBeneficiario, r.FasciaISEEBeneficiario), Is.EqualTo(((int?)null, "2", (string?)null)));
            Assert.That((r.AnnoNascita, r.CodiceRegioneResidenza, r.CodiceNazioneResidenza), Is.EqualTo(("2020", "15", "380")));
            Assert.That(r.CodiciPrestazione, Is.EqualTo(new[] { "A1.01", "A2.02" }));
            Assert.That(r.ComposizioneFamiglia, Is.EqualTo(new[] { "1", "2" }));
        });
    }

    [Test]
    public void Placement_and_closing_attributes_are_read()
    {
        var (records, _) = ReadAll(File.ReadAllBytes(Path.Combine(SamplesFolder, "valid-case-closed-returned-home-after-placement.xml")));
        var r = records.Single();

        Assert.That((r.CarattereInserimentoResidenziale, r.FormaInserimentoResidenziale, r.TipoInserimentoResidenziale, r.EsitoInserimentoStruttura,
                r.MotivazioneChiusuraCarico, r.SituazioneChiusuraCarico),
            Is.EqualTo(("6", "2", "2", "1", "4", "1")));
    }

    [Test]
    public void Text_split_by_comments_or_in_CDATA_is_read_whole_and_codes_are_trimmed()
    {
        var (lexical, reader) = ReadAll(File.ReadAllBytes(Path.Combine(SamplesFolder, "valid-lexical-edge-cases.xml")));
        var (bounds, _) = ReadAll(File.ReadAllBytes(Path.Combine(SamplesFolder, "valid-length-boundaries.xml")));

        Assert.Multiple(() =>
        {
            Assert.That(lexical.Single().CodiciPrestazione, Is.EqualTo(new[] { "A2.02", "A2.11" }));
            Assert.That(lexical.Single().NumeroComponentiISEE, Is.EqualTo(3), "xs:int '+03'");
            Assert.That(reader.Identification!.Denominazione, Is.Null);
            Assert.That(reader.Identification.CFOperatore, Is.EqualTo("02438750586     "), "kept as sent, padding included");
            Assert.That(bounds[0].CodiciPrestazione, Is.EqualTo(new[] { "Z9.99", "A2.02" }), "'A2.02     ' is schema-valid and trimmed");
        });
    }

    [Test]
    public void IDBeneficiario_is_kept_exactly_as_sent()
    {
        var (lexical, _) = ReadAll(File.ReadAllBytes(Path.Combine(SamplesFolder, "valid-lexical-edge-cases.xml")));
        var (blank, _) = ReadAll(File.ReadAllBytes(Path.Combine(SamplesFolder, "valid-idbeneficiario-single-space.xml")));
        var (lower, _) = ReadAll(Flow(Record(id: "rm minore 12 ")));

        Assert.Multiple(() =>
        {
            Assert.That(lexical.Single().IdBeneficiario, Is.EqualTo("MI 2023 / 4412 bis"));
            Assert.That(blank.Single().IdBeneficiario, Is.EqualTo(" "));
            Assert.That(lower.Single().IdBeneficiario, Is.EqualTo("rm minore 12 "));
        });
    }

    [Test]
    public void Whitespace_around_an_xs_int_is_collapsed_as_the_XSD_specification_says()
    {
        // libxml2 2.9 (xmllint) refuses " 3 " for xs:int; XSD 1.0 fixes whiteSpace=collapse for it and
        // .NET accepts it. The conformance corpus avoids the case so every validator agrees on it.
        var (records, reader) = ReadAll(Flow(Record(extra: "NumeroComponentiISEE=\" 3 \"")));

        Assert.That(reader.SchemaErrors, Is.Empty);
        Assert.That(records.Single().NumeroComponentiISEE, Is.EqualTo(3));
    }

    [Test]
    public void Records_are_yielded_one_at_a_time_while_the_flow_is_still_being_read()
    {
        var bytes = Flow(Enumerable.Range(1, 3000).Select(i => Record(id: $"RM-{i:D6}")).ToArray());
        using var stream = new CountingStream(new MemoryStream(bytes));
        using var reader = new SinbaFlowReader(stream, Schemas.Value, bytes.Length * 2L, MaxErrors);
        using var records = reader.ReadRecords().GetEnumerator();

        Assert.That(records.MoveNext(), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(records.Current.IdBeneficiario, Is.EqualTo("RM-000001"));
            Assert.That(reader.RecordCount, Is.EqualTo(1));
            Assert.That(stream.BytesRead, Is.LessThan(bytes.Length / 10), "the first record must come before the flow is read whole");
        });

        var count = 1;
        while (records.MoveNext()) count++;
        Assert.That((count, reader.RecordCount, reader.SchemaErrors.Count), Is.EqualTo((3000, 3000, 0)));
    }

    [Test]
    public void A_record_is_yielded_before_a_later_malformed_part_is_reached()
    {
        var bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Flow(Record(id: "A"), Record(id: "B"))).Replace("</Flusso>", "<SINBA></Flusso>"));
        using var reader = new SinbaFlowReader(new MemoryStream(bytes), Schemas.Value, 1_000_000, MaxErrors);
        var seen = new List<string>();

        Assert.Throws<XmlException>(() =>
        {
            foreach (var r in reader.ReadRecords()) seen.Add(r.IdBeneficiario);
        });
        Assert.That(seen, Is.EqualTo(new[] { "A", "B" }));
    }

    [Test]
    public void A_record_comes_out_after_its_end_tag_so_its_schema_errors_are_already_known()
    {
        using var reader = new SinbaFlowReader(new MemoryStream(Flow(Record(id: "A", family: "<ComposizioneFamiglia>7</ComposizioneFamiglia>"), Record(id: "B"))),
            Schemas.Value, 1_000_000, MaxErrors);
        using var records = reader.ReadRecords().GetEnumerator();

        Assert.That(records.MoveNext(), Is.True);
        Assert.That(records.Current.ComposizioneFamiglia, Is.EqualTo(new[] { "7" }));
        Assert.That(reader.SchemaErrors, Has.Count.EqualTo(1));
    }

    [Test]
    public void Schema_errors_carry_the_line_and_position_of_the_offending_node()
    {
        var file = Path.Combine(SamplesFolder, "invalid-luogovita-9.xml");
        var lines = File.ReadAllLines(file);
        var expectedLine = Array.FindIndex(lines, l => l.Contains("LuogoVita=\"9\"", StringComparison.Ordinal)) + 1;

        var (_, reader) = ReadAll(File.ReadAllBytes(file));

        var error = reader.SchemaErrors.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RuleCodes.FlowSchemaInvalid));
            Assert.That(error.Line, Is.EqualTo(expectedLine));
            Assert.That(error.Position, Is.GreaterThan(0));
            Assert.That(error.Message, Does.Contain("LuogoVita"));
        });
    }

    [Test]
    public void Reading_stops_at_the_schema_error_limit_without_yielding_the_record_in_progress()
    {
        var bad = Enumerable.Range(1, 10).Select(i => Record(id: $"X{i}", extra: "Genere=\"1\"")).ToArray();
        using var reader = new SinbaFlowReader(new MemoryStream(Flow(bad)), Schemas.Value, 1_000_000, maxSchemaErrors: 3);

        var yielded = reader.ReadRecords().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(reader.TooManyErrors, Is.True);
            Assert.That(reader.SchemaErrors, Has.Count.EqualTo(3));
            Assert.That(yielded, Has.Count.EqualTo(2), "records 1 and 2 were complete; record 3 was in progress");
        });
    }

    [Test]
    public void A_DTD_is_refused_and_no_entity_is_expanded()
    {
        var flow = Encoding.UTF8.GetString(Flow(Record(id: "&x;")));
        var withDtd = flow.Replace("<Flusso", "<!DOCTYPE Flusso [<!ENTITY x \"RSSMRA85T10A562S\">]>\n<Flusso", StringComparison.Ordinal);
        using var reader = new SinbaFlowReader(new MemoryStream(Encoding.UTF8.GetBytes(withDtd)), Schemas.Value, 1_000_000, MaxErrors);

        var e = Assert.Throws<XmlException>(() => reader.ReadRecords().ToList());
        Assert.That(SafeXml.IsDtdRefusal(e!), Is.True, e!.Message);
    }

    [Test]
    public void A_flow_outside_the_INPS_namespace_yields_no_record_and_is_reported()
    {
        var (records, reader) = ReadAll(File.ReadAllBytes(Path.Combine(SamplesFolder, "invalid-no-namespace.xml")));

        Assert.That(records, Is.Empty);
        Assert.That(reader.SchemaErrors, Is.Not.Empty);
    }

    [Test]
    public void A_schema_error_about_IDBeneficiario_does_not_repeat_its_value()
    {
        const string fiscalCode = "RSSMRA85T10A562S";
        var (_, reader) = ReadAll(Flow(Record(id: fiscalCode + "-ROMA1")));

        var error = reader.SchemaErrors.Single();
        Assert.That(error.Message, Does.Contain("IDBeneficiario"));
        Assert.That(error.Message, Does.Not.Contain(fiscalCode));
    }

    [TestCase("The 'IDBeneficiario' attribute is invalid - The value 'RSSMRA85T10A562S-X' is invalid according to its datatype 'String' - The actual length is greater than the MaxLength value.")]
    [TestCase("The 'IDBeneficiario' attribute is invalid - The value 'it's RSSMRA85T10A562S' is invalid.")]
    public void The_value_quoted_after_IDBeneficiario_is_withheld(string message)
    {
        var withheld = SinbaFlowReader.WithholdIdBeneficiario(message);

        Assert.That(withheld, Does.StartWith("The 'IDBeneficiario' attribute is invalid"));
        Assert.That(withheld, Does.Not.Contain("RSSMRA85T10A562S"));
    }

    [Test]
    public void Messages_about_other_attributes_are_left_alone()
    {
        const string message = "The 'LuogoVita' attribute is invalid - The value '9' is invalid according to its datatype.";
        Assert.That(SinbaFlowReader.WithholdIdBeneficiario(message), Is.EqualTo(message));
    }

    // ------------------------------------------------------------------ MeseAnno

    [TestCase("03/2024", 2024, 3)]
    [TestCase("12/1999", 1999, 12)]
    [TestCase("01/2100", 2100, 1, Description = "the XSD limits years to 19xx-20xx, the parser does not")]
    public void MeseAnno_parses_MM_YYYY(string text, int year, int month)
    {
        Assert.That(MeseAnno.TryParse(text, out var value), Is.True);
        Assert.That((value.Year, value.Month, value.ToString()), Is.EqualTo((year, month, text)));
    }

    [TestCase("3/2024")]
    [TestCase("13/2024")]
    [TestCase("00/2024")]
    [TestCase("03-2024")]
    [TestCase("2024-03")]
    [TestCase("03/2024 ")]
    [TestCase("03/\u0662\u0660\u0662\u0664")]
    [TestCase("")]
    [TestCase(null)]
    public void MeseAnno_refuses_anything_else(string? text) => Assert.That(MeseAnno.TryParse(text, out _), Is.False);

    [Test]
    public void MeseAnno_orders_by_year_then_month()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new MeseAnno(2023, 12) < new MeseAnno(2024, 1), Is.True);
            Assert.That(new MeseAnno(2024, 2) > new MeseAnno(2024, 1), Is.True);
            Assert.That(new MeseAnno(2024, 2) <= new MeseAnno(2024, 2), Is.True);
            Assert.That(MeseAnno.Of(new DateOnly(2025, 5, 20)), Is.EqualTo(new MeseAnno(2025, 5)));
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MeseAnno(2024, 13));
        });
    }

    // ------------------------------------------------------------------ helpers

    private static (List<SinbaRecord> Records, SinbaFlowReader Reader) ReadAll(byte[] flow)
    {
        var reader = new SinbaFlowReader(new MemoryStream(flow), Schemas.Value, 10_000_000, MaxErrors);
        return (reader.ReadRecords().ToList(), reader);
    }

    /// <summary>A minimal valid SINBA record (a child at home in Lazio), with optional changes.</summary>
    private static string Record(string id = "RM-MIN-0001", string extra = "",
        string codes = "<CodicePrestazione>A2.02</CodicePrestazione>", string family = "<ComposizioneFamiglia>1</ComposizioneFamiglia>") =>
        $"""
          <SINBA IDBeneficiario="{id}" MinoreStranieroNoAcc="2" CondizioneMinore="1" LuogoVita="1" ScuolaFrequentata="5"
                 CondizioneLavoro="1" Disabilita="2" DataPrimaSegnalazione="03/2024" FonteSegnalazione="13" ValutazioneMinore="2"
                 ValutazioneFamigliaMinore="6" SegnalazioneAutoritaGiudiziaria="2" ProvvedimentoGiudiziario="2"
                 FasciaEtaBeneficiario="3" AnnoNascita="2017" CodiceRegioneResidenza="12" CodiceNazioneResidenza="380" {extra}>
            <Prestazioni>{codes}</Prestazioni>
            <Famiglia>{family}</Famiglia>
          </SINBA>
        """;

    private static byte[] Flow(params string[] records) => Encoding.UTF8.GetBytes(
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <Flusso xmlns="http://inps.it/Casellario">
          <IdentificazioneFlusso Nome="H501.SINBA.20250520.0000001">
            <Ente Codice="H501" Indirizzo="H501" CFOperatore="CNTPLA75B54H501D"/>
          </IdentificazioneFlusso>
        {string.Join("\n", records)}
        </Flusso>
        """);

    /// <summary>Counts the bytes the XML reader has pulled from the underlying stream.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
