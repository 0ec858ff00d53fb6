using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>ListReceipts over real HTTP: a body's receipts by cursor, resumable without gaps or repeats while flows keep arriving.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class ListReceiptsTests(string engine) : RegisterFixture(engine)
{
    private static int _nextBody = 100;

    /// <summary>A fresh paying body per test, so each test sees only its own receipts.</summary>
    private async Task<(string Code, X509Certificate2 Signer)> NewBodyAsync()
    {
        var code = "B" + Interlocked.Increment(ref _nextBody);
        var signer = TestCertificates.Ecdsa($"CN=Ente {code}, O={code}");
        await Register.RegisterAgencyAsync(code, signer, belfiore: code);
        return (code, signer);
    }

    private async Task<(string IdMessaggio, byte[] Ricevuta)> SubmitAsBodyAsync(string code, X509Certificate2 signer, bool valid = true)
    {
        var flow = new FlowBuilder(code, belfiore: code).Beneficiario(b =>
        {
            if (!valid) b.Prestazione["ImportoPrestazione"] = "-5";
        });
        var bytes = flow.ToBytes();
        var id = Guid.NewGuid();
        await using var client = Register.NewClient();
        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, code, flow.Nome, signer, idMessaggio: id), bytes);
        return (id.ToString(), raw);
    }

    private async Task<ElencoRicevute> ListAsync(string code, X509Certificate2 signer, long since, int? limit = null)
    {
        await using var client = Register.NewClient();
        var raw = await client.ListReceiptsAsync(SignedDocuments.SignListReceipts(code, signer, since, limit));
        return ReceiptVerifier.VerifyDocument<ElencoRicevute>(raw, RegisterCertificate);
    }

    /// <summary>Pages from <paramref name="since"/> until the register says nothing more follows; returns the entries and the last cursor.</summary>
    private async Task<(List<VoceRicevuta> Seen, long Cursor)> DrainAsync(string code, X509Certificate2 signer, long since, int limit, Func<Task>? betweenPages = null)
    {
        var seen = new List<VoceRicevuta>();
        while (true)
        {
            var page = await ListAsync(code, signer, since, limit);
            Assert.That(page.Ricevute, Has.Count.LessThanOrEqualTo(limit));
            seen.AddRange(page.Ricevute);
            since = page.ProssimoCursore;
            if (!page.AltreRicevute) return (seen, since);
            if (betweenPages is not null) await betweenPages();
        }
    }

    [Test]
    public async Task Paging_with_inserts_between_pages_then_resuming_from_the_saved_cursor_sees_every_receipt_exactly_once()
    {
        var (code, signer) = await NewBodyAsync();
        var sent = new List<(string IdMessaggio, byte[] Ricevuta)>();
        for (int i = 0; i < 5; i++) sent.Add(await SubmitAsBodyAsync(code, signer, valid: i != 2));

        // Between pages a new flow arrives each time (one of them refused).
        int between = 0;
        var (firstRun, cursor) = await DrainAsync(code, signer, 0, limit: 2, async () => sent.Add(await SubmitAsBodyAsync(code, signer, valid: between++ % 2 == 0)));
        // The batch job stops; more flows arrive; it resumes from the cursor it saved.
        for (int i = 0; i < 3; i++) sent.Add(await SubmitAsBodyAsync(code, signer));
        var (secondRun, _) = await DrainAsync(code, signer, cursor, limit: 2);

        var all = firstRun.Concat(secondRun).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(all.Select(v => v.IdMessaggio), Is.EquivalentTo(sent.Select(s => s.IdMessaggio)), "every receipt once, none missing");
            Assert.That(all.Select(v => v.Cursore), Is.Ordered.Ascending.And.Unique);
            Assert.That(secondRun.Select(v => v.Cursore), Is.All.GreaterThan(cursor));
            foreach (var v in all)
                Assert.That(v.RicevutaFirmata, Is.EqualTo(sent.Single(s => s.IdMessaggio == v.IdMessaggio).Ricevuta), "byte for byte as issued");
        });
    }

    [Test]
    public async Task Receipts_committed_concurrently_with_the_paging_are_each_listed_once_in_cursor_order()
    {
        var (code, signer) = await NewBodyAsync();
        var sent = new ConcurrentBag<string>();
        using var done = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < 8; i++) sent.Add((await SubmitAsBodyAsync(code, signer, valid: (w + i) % 5 != 0)).IdMessaggio);
        })).ToList();
        var writing = Task.WhenAll(writers);

        var seen = new List<VoceRicevuta>();
        long cursor = 0;
        while (true)
        {
            var finished = writing.IsCompleted;
            var page = await ListAsync(code, signer, cursor, limit: 3);
            seen.AddRange(page.Ricevute);
            cursor = page.ProssimoCursore;
            if (finished && !page.AltreRicevute) break;
        }
        await writing;

        Assert.Multiple(() =>
        {
            Assert.That(seen.Select(v => v.IdMessaggio), Is.EquivalentTo(sent));
            Assert.That(seen.Select(v => v.Cursore), Is.Ordered.Ascending.And.Unique);
        });
    }

    [Test]
    public async Task Refused_flows_receipts_are_listed_and_another_body_s_never_are()
    {
        var (code, signer) = await NewBodyAsync();
        var (other, otherSigner) = await NewBodyAsync();
        var acquired = await SubmitAsBodyAsync(code, signer);
        var refused = await SubmitAsBodyAsync(code, signer, valid: false);
        var foreign = await SubmitAsBodyAsync(other, otherSigner);

        var page = await ListAsync(code, signer, 0, 100);

        Assert.That(page.Ricevute.Select(v => v.IdMessaggio), Is.EqualTo(new[] { acquired.IdMessaggio, refused.IdMessaggio }));
        var (ok, ko) = (page.Ricevute[0], page.Ricevute[1]);
        Assert.Multiple(() =>
        {
            Assert.That(page.CodiceEnte, Is.EqualTo(code));
            Assert.That(page.AltreRicevute, Is.False);
            Assert.That(ok.Esito, Is.EqualTo(Esiti.Ok));
            Assert.That(ok.IdAcquisizione, Is.Not.Null);
            Assert.That(ok.TipoFlusso, Is.EqualTo(TipiFlusso.PsPsaSina));
            Assert.That(ko.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
            Assert.That(ko.IdAcquisizione, Is.Null);
            // The embedded receipts keep their own register signature.
            Assert.That(ReceiptVerifier.Verify(ko.RicevutaFirmata, RegisterCertificate).Ricevuta.IdMessaggio, Is.EqualTo(refused.IdMessaggio));
        });
        Assert.That((await ListAsync(other, otherSigner, 0, 100)).Ricevute.Select(v => v.IdMessaggio), Is.EqualTo(new[] { foreign.IdMessaggio }));
    }

    [Test]
    public async Task Limit_defaults_to_10_allows_up_to_100_and_refuses_anything_else()
    {
        var (code, signer) = await NewBodyAsync();
        for (int i = 0; i < 11; i++) await SubmitAsBodyAsync(code, signer);

        var byDefault = await ListAsync(code, signer, 0);
        var atMost = await ListAsync(code, signer, 0, 100);
        var empty = await ListAsync(code, signer, atMost.ProssimoCursore, 100);
        await using var client = Register.NewClient();
        var zero = Assert.ThrowsAsync<FaultException>(() => client.ListReceiptsAsync(SignedDocuments.SignListReceipts(code, signer, 0, 0)));
        var tooMany = Assert.ThrowsAsync<FaultException>(() => client.ListReceiptsAsync(SignedDocuments.SignListReceipts(code, signer, 0, 101)));

        Assert.Multiple(() =>
        {
            Assert.That(byDefault.Ricevute, Has.Count.EqualTo(10));
            Assert.That(byDefault.AltreRicevute, Is.True);
            Assert.That(atMost.Ricevute, Has.Count.EqualTo(11));
            Assert.That(atMost.AltreRicevute, Is.False);
            Assert.That(empty.Ricevute, Is.Empty);
            Assert.That(empty.ProssimoCursore, Is.EqualTo(atMost.ProssimoCursore), "an empty page keeps the cursor");
            Assert.That(zero!.Code.Name, Is.EqualTo(FaultCodes.QueryInvalid));
            Assert.That(tooMany!.Code.Name, Is.EqualTo(FaultCodes.QueryInvalid));
        });
    }

    [Test]
    public async Task A_replayed_a_stale_and_a_misdirected_Richiesta_are_refused()
    {
        var (code, signer) = await NewBodyAsync();
        await using var client = Register.NewClient();
        var richiesta = SignedDocuments.SignListReceipts(code, signer);
        await client.ListReceiptsAsync(richiesta);

        var replay = Assert.ThrowsAsync<FaultException>(() => client.ListReceiptsAsync(richiesta));
        var stale = Assert.ThrowsAsync<FaultException>(() => client.ListReceiptsAsync(
            SignedDocuments.SignListReceipts(code, signer, dataOraUtc: DateTime.UtcNow.AddHours(-1))));
        var otherOperation = Assert.ThrowsAsync<FaultException>(() => client.ListReceiptsAsync(
            SignedDocuments.SignReconcileRecords(code, signer, "2026-01")));
        var otherBody = Assert.ThrowsAsync<FaultException>(() => client.ListReceiptsAsync(SignedDocuments.SignListReceipts("H501", signer)));

        Assert.Multiple(() =>
        {
            Assert.That(replay!.Code.Name, Is.EqualTo(FaultCodes.MessageIdReused));
            Assert.That(stale!.Code.Name, Is.EqualTo(FaultCodes.MessageStale));
            Assert.That(otherOperation!.Code.Name, Is.EqualTo(FaultCodes.DocumentInvalid));
            Assert.That(otherBody!.Code.Name, Is.EqualTo(FaultCodes.CertificateNotRegistered));
        });
    }

    [Test]
    public async Task The_answer_is_signed_by_the_register_and_a_tampered_one_does_not_verify()
    {
        var (code, signer) = await NewBodyAsync();
        await SubmitAsBodyAsync(code, signer);
        await using var client = Register.NewClient();
        var raw = await client.ListReceiptsAsync(SignedDocuments.SignListReceipts(code, signer));

        Assert.That(ReceiptVerifier.VerifyDocument<ElencoRicevute>(raw, RegisterCertificate).Ricevute, Has.Count.EqualTo(1));
        var tampered = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(raw).Replace("<AltreRicevute>false", "<AltreRicevute>true"));
        Assert.Throws<ReceiptVerificationException>(() => ReceiptVerifier.VerifyDocument<ElencoRicevute>(tampered, RegisterCertificate));
        Assert.Throws<ReceiptVerificationException>(() => ReceiptVerifier.VerifyDocument<ElencoRicevute>(raw, TestCertificates.Ecdsa("CN=Not the register")));
    }
}

/// <summary>ListReceipts caps a page by bytes as well as by count, and always returns at least one receipt.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class ListReceiptsByteCapTests(string engine) : RegisterFixture(engine)
{
    protected override IDictionary<string, string>? Settings => new Dictionary<string, string> { ["Siuss:Limits:MaxReceiptPageBytes"] = "3000" };

    [Test]
    public async Task A_page_stops_before_the_byte_cap_but_never_comes_back_empty()
    {
        for (int i = 0; i < 3; i++) await SubmitAsync(new FlowBuilder().Beneficiario());
        await using var client = Register.NewClient();

        var pages = new List<ElencoRicevute>();
        long since = 0;
        do
        {
            var page = ReceiptVerifier.VerifyDocument<ElencoRicevute>(
                await client.ListReceiptsAsync(SignedDocuments.SignListReceipts("H501", Roma, since, 100)), RegisterCertificate);
            pages.Add(page);
            since = page.ProssimoCursore;
        } while (pages[^1].AltreRicevute);

        // Each receipt is over 1500 bytes, so a 3000-byte page holds one.
        Assert.That(pages.Select(p => p.Ricevute.Count), Is.All.EqualTo(1));
        Assert.That(pages, Has.Count.EqualTo(3));
    }
}
