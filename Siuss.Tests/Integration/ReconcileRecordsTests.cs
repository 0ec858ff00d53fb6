using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Siuss.Client;
using Siuss.Client.Reconciliation;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Contracts.Reconciliation;
using Siuss.Service.Storage;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>
/// ReconcileRecords over real HTTP: a body compares what it sent (digests computed client-side from its own flow
/// files) with what the register holds for a month, and finds the missing, the extra and the changed records.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class ReconcileRecordsTests(string engine) : RegisterFixture(engine)
{
    private static int _nextBody = 100;
    // A whole month in the past, so every date of it is allowed and the period is complete.
    private static readonly DateOnly Month = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-1) is var d ? new DateOnly(d.Year, d.Month, 1) : default;
    private static readonly string Periodo = Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Day(int day) => Month.AddDays(day - 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<(string Code, X509Certificate2 Signer)> NewBodyAsync()
    {
        var code = "R" + Interlocked.Increment(ref _nextBody);
        var signer = TestCertificates.Ecdsa($"CN=Ente {code}, O={code}");
        await Register.RegisterAgencyAsync(code, signer, belfiore: code);
        return (code, signer);
    }

    /// <summary>Submits the flow as the body and returns the flow file bytes (what the body keeps).</summary>
    private async Task<byte[]> SendAsync(string code, X509Certificate2 signer, FlowBuilder flow, string expected = Esiti.Ok)
    {
        var bytes = flow.ToBytes();
        await using var client = Register.NewClient();
        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, code, flow.Nome, signer), bytes);
        Assert.That(ReceiptVerifier.Verify(raw, RegisterCertificate).Ricevuta.Esito, Is.EqualTo(expected));
        return bytes;
    }

    private static FlowBuilder OneOffs(string code, params (string Cf, int Day, string Amount)[] records)
    {
        var flow = new FlowBuilder(code, belfiore: code);
        foreach (var (cf, day, amount) in records)
            flow.Beneficiario(b =>
            {
                b.CodiceFiscale = cf;
                b.Prestazione["DataErogazionePrestazione"] = Day(day);
                b.Prestazione["ImportoPrestazione"] = amount;
            });
        return flow;
    }

    private async Task<Riconciliazione> ReconcileAsync(string code, X509Certificate2 signer, long since = 0, int? limit = null, string? periodo = null)
    {
        await using var client = Register.NewClient();
        var raw = await client.ReconcileRecordsAsync(SignedDocuments.SignReconcileRecords(code, signer, periodo ?? Periodo, since, limit));
        return ReceiptVerifier.VerifyDocument<Riconciliazione>(raw, RegisterCertificate);
    }

    /// <summary>Every record of the period, paging with <paramref name="limit"/>.</summary>
    private async Task<(Riconciliazione First, List<VoceRiconciliazione> Records)> AllAsync(string code, X509Certificate2 signer, int limit)
    {
        var first = await ReconcileAsync(code, signer, 0, limit);
        var records = new List<VoceRiconciliazione>(first.Records);
        var page = first;
        while (page.AltriRecord)
        {
            page = await ReconcileAsync(code, signer, page.ProssimoCursore, limit);
            records.AddRange(page.Records);
        }
        return (first, records);
    }

    [Test]
    public async Task A_batch_job_finds_the_missing_the_extra_and_the_changed_record_and_the_period_digest_tells_when_nothing_differs()
    {
        var (code, signer) = await NewBodyAsync();
        var flows = new List<byte[]>
        {
            await SendAsync(code, signer, OneOffs(code, ("RSSMRA85T10A562S", 2, "150.50"), ("BNCGVN70A01H501H", 3, "80"), ("MRTMTT25D09F205Z", 4, "12.345"))),
            await SendAsync(code, signer, OneOffs(code, ("RSSMRA85T10A562S", 5, "99.90"), ("BNCGVN70A01H501H", 6, "1000.00"))),
        };
        // The body's own database: what it sent, read back from its flow files.
        var local = FlowRecordContents.ActiveRecords(flows.SelectMany(f => FlowRecordContents.Read(new MemoryStream(f)))).ToDictionary();
        Assert.That(local, Has.Count.EqualTo(5));

        var (before, registerRecords) = await AllAsync(code, signer, limit: 2);
        Assert.Multiple(() =>
        {
            Assert.That(before.RecordAttivi, Is.EqualTo(5));
            Assert.That(registerRecords, Has.Count.EqualTo(5));
            Assert.That(registerRecords.Select(r => r.Cursore), Is.Ordered.Ascending.And.Unique);
            Assert.That(before.DigestPeriodo, Is.EqualTo(PeriodDigest.Compute(local.Values.Select(FlowRecordContents.Keyed))), "nothing differs");
            foreach (var r in registerRecords)
                Assert.That(r.Digest, Is.EqualTo(RecordDigest.Compute(local[Key(r)])), "client and register digests agree");
        });

        // The body's database drifts: one record it never sent, one it lost, one it changed.
        var lost = Key(registerRecords[1]);
        local.Remove(lost);
        var neverSent = new RecordContent { CodiceFiscale = "RSSMRA85T10A562S", CodicePrestazione = "A1.06", ProtocolloDomanda = "LOCAL-ONLY", DataRiferimento = Month.AddDays(9), DenominazionePrestazione = "x", PresenzaProvaMezzi = "4", PresaCarico = "2" };
        local[FlowRecordContents.Keyed(neverSent).Key] = neverSent;
        var changed = Key(registerRecords[3]);
        local[changed].ImportoPrestazione += 1;

        var (after, again) = await AllAsync(code, signer, limit: 1000);
        var remote = again.Where(r => r.Stato == "ATTIVA").ToDictionary(Key);
        var missing = local.Keys.Except(remote.Keys).ToList();
        var extra = remote.Keys.Except(local.Keys).ToList();
        var different = remote.Keys.Intersect(local.Keys).Where(k => remote[k].Digest != RecordDigest.Compute(local[k])).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(after.DigestPeriodo, Is.EqualTo(before.DigestPeriodo), "the register did not change");
            Assert.That(after.DigestPeriodo, Is.Not.EqualTo(PeriodDigest.Compute(local.Values.Select(FlowRecordContents.Keyed))));
            Assert.That(missing, Is.EqualTo(new[] { FlowRecordContents.Keyed(neverSent).Key }), "in the body's database, not in the register");
            Assert.That(extra, Is.EqualTo(new[] { lost }), "in the register, not in the body's database");
            Assert.That(different, Is.EqualTo(new[] { changed }));
        });
    }

    [Test]
    public async Task Cancelled_records_are_listed_as_ANNULLATA_and_leave_the_period_digest()
    {
        var (code, signer) = await NewBodyAsync();
        var insert = OneOffs(code, ("RSSMRA85T10A562S", 10, "20"), ("BNCGVN70A01H501H", 11, "30"));
        await SendAsync(code, signer, insert);
        var digestBefore = (await ReconcileAsync(code, signer, limit: 0)).DigestPeriodo;
        var cancel = new FlowBuilder(code, belfiore: code).Beneficiario(b =>
        {
            b.CodiceFiscale = "BNCGVN70A01H501H";
            b.Prestazioni[0] = new(insert.ToBeneficiaryPrestazione(1)) { ["TipoOperazione"] = "C" };
        });
        var cancelFlow = await SendAsync(code, signer, cancel);

        var (first, records) = await AllAsync(code, signer, limit: 10);
        var local = FlowRecordContents.ActiveRecords(new[] { insert.ToBytes(), cancelFlow }.SelectMany(f => FlowRecordContents.Read(new MemoryStream(f))));

        Assert.Multiple(() =>
        {
            Assert.That(first.RecordAttivi, Is.EqualTo(1));
            Assert.That(first.RecordAnnullati, Is.EqualTo(1));
            Assert.That(records.Select(r => r.Stato), Is.EqualTo(new[] { "ATTIVA", "ANNULLATA" }));
            Assert.That(records[1].CodiceFiscale, Is.EqualTo("BNCGVN70A01H501H"));
            Assert.That(records[1].NomeFlusso, Is.EqualTo(insert.Nome), "the flow that inserted it");
            Assert.That(first.DigestPeriodo, Is.Not.EqualTo(digestBefore));
            Assert.That(first.DigestPeriodo, Is.EqualTo(PeriodDigest.Compute(local.Values.Select(FlowRecordContents.Keyed))));
        });
    }

    [Test]
    public async Task Digests_agree_for_every_decimal_form_the_schema_allows_including_after_a_backfill_from_the_stored_columns()
    {
        var (code, signer) = await NewBodyAsync();
        var flow = new FlowBuilder(code, belfiore: code)
            .Beneficiario(b =>
            {
                b.Prestazione["DataErogazionePrestazione"] = Day(12);
                b.Prestazione["ImportoPrestazione"] = "150.50";
                b.Prestazione["ImportoQuotaEnte"] = "+0100.5";
                b.Prestazione["ImportoQuotaUtente"] = ".000"; // zero: the only quota the spec lets be 0 ("Maggiore o uguale a 0")
                b.Prestazione["ImportoQuotaSSN"] = "50.";
                b.Prestazione["ImportoQuotaRichiesta"] = " .5 ";
                b.Prestazione["ImportoSogliaISEE"] = "12000.0000000001";
                b.Prestazione["OreServizioMensile"] = "10.250";
            })
            .Beneficiario(b =>
            {
                b.CodiceFiscale = "BNCGVN70A01H501H";
                b.Prestazioni[0] = BeneficiarioSpec.DefaultPeriodic();
                b.Prestazione["DataInizioPrestazione"] = Day(1);
                b.Prestazione["DataFinePrestazione"] = Day(1);
                b.Prestazione["ImportoMensile"] = "400.00";
                b.Prestazione["PeriodoErogazione"] = "+01";
            })
            // The schema allows a lower-case fiscal code; the register keys (and digests) it upper case.
            .Beneficiario(b =>
            {
                b.CodiceFiscale = "mrtmtt25d09f205z";
                b.Prestazione["DataErogazionePrestazione"] = Day(13);
            });
        var bytes = await SendAsync(code, signer, flow);
        var local = FlowRecordContents.Read(new MemoryStream(bytes)).ToDictionary(r => r.Keyed.Key, r => r.Keyed.Digest);

        var remote = (await ReconcileAsync(code, signer)).Records.ToDictionary(Key, r => r.Digest);
        Assert.That(remote, Is.EquivalentTo(local));

        // Rows stored before digests existed get theirs from the stored columns: the same value.
        var database = Register.Services.GetRequiredService<Database>();
        await using (var connection = await database.OpenAsync())
            await connection.ExecuteAsync("UPDATE benefit_records SET content_digest = NULL WHERE agency_code = @code", new { code });
        Assert.That(new RecordDigestBackfill(database).Run(), Is.EqualTo(3));
        var backfilled = (await ReconcileAsync(code, signer)).Records.ToDictionary(Key, r => r.Digest);
        Assert.That(backfilled, Is.EquivalentTo(local));
    }

    [Test]
    public async Task An_exponent_is_not_an_amount_for_the_register_nor_for_the_client_reader()
    {
        var (code, signer) = await NewBodyAsync();
        var flow = OneOffs(code, ("RSSMRA85T10A562S", 3, "1e2"));

        await SendAsync(code, signer, flow, expected: Esiti.RichiestaInvalida);

        Assert.Throws<FormatException>(() => FlowRecordContents.Read(new MemoryStream(flow.ToBytes())));
        Assert.That((await ReconcileAsync(code, signer)).RecordAttivi, Is.Zero);
    }

    [Test]
    public async Task Limit_zero_gives_the_digest_and_counts_only_and_other_bodies_and_months_are_not_mixed_in()
    {
        var (code, signer) = await NewBodyAsync();
        var (other, otherSigner) = await NewBodyAsync();
        await SendAsync(code, signer, OneOffs(code, ("RSSMRA85T10A562S", 1, "10"), ("BNCGVN70A01H501H", 28, "10")));
        await SendAsync(other, otherSigner, OneOffs(other, ("RSSMRA85T10A562S", 2, "10")));

        var digestOnly = await ReconcileAsync(code, signer, limit: 0);
        var full = await ReconcileAsync(code, signer);
        var otherView = await ReconcileAsync(other, otherSigner);
        var earlierMonth = await ReconcileAsync(code, signer, periodo: Month.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture));

        Assert.Multiple(() =>
        {
            Assert.That(digestOnly.Records, Is.Empty);
            Assert.That(digestOnly.RecordAttivi, Is.EqualTo(2));
            Assert.That(digestOnly.AltriRecord, Is.False);
            Assert.That(digestOnly.DigestPeriodo, Is.EqualTo(full.DigestPeriodo));
            Assert.That(full.Records, Has.Count.EqualTo(2));
            Assert.That(otherView.RecordAttivi, Is.EqualTo(1));
            Assert.That(earlierMonth.RecordAttivi + earlierMonth.RecordAnnullati, Is.Zero);
            Assert.That(earlierMonth.DigestPeriodo, Is.EqualTo(PeriodDigest.Compute([])));
        });
    }

    [Test]
    public async Task Bad_parameters_a_replay_a_stale_request_and_a_request_for_another_operation_are_refused()
    {
        var (code, signer) = await NewBodyAsync();
        await using var client = Register.NewClient();
        var richiesta = SignedDocuments.SignReconcileRecords(code, signer, Periodo, limit: 0);
        await client.ReconcileRecordsAsync(richiesta);

        async Task<string> FaultOf(byte[] request) =>
            Assert.ThrowsAsync<FaultException>(() => client.ReconcileRecordsAsync(request))!.Code.Name;

        {
            Assert.That(await FaultOf(richiesta), Is.EqualTo(FaultCodes.MessageIdReused));
            Assert.That(await FaultOf(SignedDocuments.SignReconcileRecords(code, signer, Periodo, dataOraUtc: DateTime.UtcNow.AddHours(-1))), Is.EqualTo(FaultCodes.MessageStale));
            Assert.That(await FaultOf(SignedDocuments.SignListReceipts(code, signer)), Is.EqualTo(FaultCodes.DocumentInvalid));
            Assert.That(await FaultOf(SignedDocuments.SignReconcileRecords(code, signer, Periodo, limit: 5001)), Is.EqualTo(FaultCodes.QueryInvalid));
            Assert.That(await FaultOf(SignedDocuments.SignReconcileRecords(code, signer, Periodo + "Z")), Is.EqualTo(FaultCodes.QueryInvalid));
            Assert.That(await FaultOf(SignedDocuments.SignReconcileRecords(code, signer, null!)), Is.EqualTo(FaultCodes.QueryInvalid));
            // The last month of the calendar has no month after it to end the period: a client error, not InternalError.
            Assert.That(await FaultOf(SignedDocuments.SignReconcileRecords(code, signer, "9999-12")), Is.EqualTo(FaultCodes.QueryInvalid));
            Assert.That(await FaultOf(SignedDocuments.SignReconcileRecords(code, signer, "0001-01", limit: 5001)), Is.EqualTo(FaultCodes.QueryInvalid));
            // Not an xs:gYearMonth at all: the schema refuses the document before the parameters are read.
            Assert.That(await FaultOf(SignedDocuments.SignReconcileRecords(code, signer, "2026-13")), Is.EqualTo(FaultCodes.DocumentInvalid));
        }
    }

    private static string Key(VoceRiconciliazione r) =>
        new KeyedDigest(r.CodiceFiscale, r.CodicePrestazione, r.ProtocolloDomanda, DateOnly.FromDateTime(r.DataRiferimento), r.Digest).Key;
}
