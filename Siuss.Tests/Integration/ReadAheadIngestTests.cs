using System.Text;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Service.Submission;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>
/// Flows past <see cref="FlowIngestor.ReadAheadThresholdBytes"/> are parsed on another thread while earlier records
/// are written: the outcome must be exactly what reading in line gives - the same codes, and nothing stored when the
/// problem is found late in the flow, after records were already written inside the transaction.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class ReadAheadIngestTests(string engine) : RegisterFixture(engine)
{
    private const int MaxRecords = 900;

    protected override IDictionary<string, string>? Settings => new Dictionary<string, string>
    {
        ["Siuss:Limits:MaxRecordsPerFlow"] = MaxRecords.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static FlowBuilder Large(int beneficiari = 700, Action<BeneficiarioSpec>? last = null)
    {
        var builder = new FlowBuilder();
        for (int i = 0; i < beneficiari - 1; i++) builder.Beneficiario();
        builder.Beneficiario(last);
        return builder;
    }

    private async Task<Ricevuta> SubmitBytesAsync(byte[] flow, string nome)
    {
        Assert.That(flow.Length, Is.GreaterThan(FlowIngestor.ReadAheadThresholdBytes), "the flow takes the read-ahead path");
        await using var client = Register.NewClient();
        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(flow, "H501", nome, Roma), flow);
        return ReceiptVerifier.Verify(raw, RegisterCertificate).Ricevuta;
    }

    private Task<long> StoredRecordsAsync(string nome) => Register.CountAsync(
        "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @nome", new { nome });

    [Test]
    public async Task A_large_valid_flow_is_stored_whole()
    {
        var flow = Large();
        var ricevuta = await SubmitBytesAsync(flow.ToBytes(), flow.Nome);
        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), string.Join("; ", ricevuta.ErroriFlusso.Select(e => e.Messaggio)));
        Assert.That(ricevuta.EsitiRecord.Select(r => r.Progressivo), Is.EqualTo(Enumerable.Range(1, 700)), "one result per record, in flow order");
        Assert.That(await StoredRecordsAsync(flow.Nome), Is.EqualTo(700));
    }

    [Test]
    public async Task A_schema_error_in_the_last_record_refuses_the_flow_and_stores_none_of_the_records_written_before_it()
    {
        var flow = Large();
        var xml = flow.ToXml();
        var at = xml.LastIndexOf("<Anagrafica ", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(xml[..at] + "<Anagrafica Evil=\"1\" " + xml[(at + "<Anagrafica ".Length)..]);

        var ricevuta = await SubmitBytesAsync(bytes, flow.Nome);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Has.Some.EqualTo(RuleCodes.FlowSchemaInvalid));
        Assert.That(ricevuta.EsitiRecord, Is.Empty, "no record results for a document the register did not understand");
        Assert.That(await StoredRecordsAsync(flow.Nome), Is.Zero);
    }

    [Test]
    public async Task A_flow_cut_short_near_its_end_is_malformed_and_nothing_is_stored()
    {
        var flow = Large();
        var bytes = flow.ToBytes();

        var ricevuta = await SubmitBytesAsync(bytes[..(bytes.Length - 40)], flow.Nome);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.FlowXmlMalformed }));
        Assert.That(await StoredRecordsAsync(flow.Nome), Is.Zero);
    }

    [Test]
    public async Task A_flow_over_the_record_limit_is_refused_while_the_reader_is_still_ahead_and_nothing_is_stored()
    {
        var flow = Large(beneficiari: MaxRecords + 100);

        var ricevuta = await SubmitBytesAsync(flow.ToBytes(), flow.Nome);

        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.FlowTooManyRecords }));
        Assert.That(await StoredRecordsAsync(flow.Nome), Is.Zero);
    }

    [Test]
    public async Task A_business_rule_broken_by_the_last_record_is_reported_against_it_and_nothing_is_stored()
    {
        var flow = Large(last: b => b.CodiceFiscale = "RSSMRA85T10A562X");

        var ricevuta = await SubmitBytesAsync(flow.ToBytes(), flow.Nome);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.EsitiRecord, Has.Count.EqualTo(700));
        Assert.That(ricevuta.EsitiRecord.Where(r => r.Esito != Esiti.Ok).Select(r => r.Progressivo), Is.EqualTo(new[] { 700 }));
        Assert.That(await StoredRecordsAsync(flow.Nome), Is.Zero);
    }

    [Test]
    public async Task What_the_database_finds_while_the_reader_runs_ahead_is_reported_against_the_right_records()
    {
        // The rules and digests run on the reading thread, the database checks on the writer's: a duplicate in the
        // middle and a cancellation of nothing at the end must still land on their own records.
        var stored = new FlowBuilder().Beneficiario(b => b.CodiceFiscale = "NREFNC75C03L219P");
        var storedRecord = stored.ToBeneficiaryPrestazione(0);
        var storedBytes = stored.ToBytes();
        await using (var client = Register.NewClient())
        {
            var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(storedBytes, "H501", stored.Nome, Roma), storedBytes);
            Assert.That(ReceiptVerifier.Verify(raw, RegisterCertificate).Ricevuta.Esito, Is.EqualTo(Esiti.Ok));
        }

        var flow = new FlowBuilder();
        for (int i = 1; i <= 700; i++)
        {
            if (i == 350)
                flow.Beneficiario(b => { b.CodiceFiscale = "NREFNC75C03L219P"; b.Prestazioni[0] = new Dictionary<string, string?>(storedRecord); });
            else if (i == 700)
                flow.Beneficiario(b => b.Prestazioni[0]["TipoOperazione"] = "C");
            else
                flow.Beneficiario();
        }

        var ricevuta = await SubmitBytesAsync(flow.ToBytes(), flow.Nome);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.EsitiRecord.Select(r => r.Progressivo), Is.EqualTo(Enumerable.Range(1, 700)));
        var problems = ricevuta.EsitiRecord.Where(r => r.Esito != Esiti.Ok)
            .Select(r => (r.Progressivo, r.Errori.Single().Codice)).ToList();
        Assert.That(problems, Is.EqualTo(new[] { (350, RuleCodes.RecordDuplicate), (700, RuleCodes.RecordNotFound) }));
        Assert.That(await StoredRecordsAsync(flow.Nome), Is.Zero);
    }
}
