using Siuss.Client;
using Siuss.Contracts;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>Many clients at once: one winner for the same message, no duplicate and no lost record.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class ConcurrencyTests(string engine) : RegisterFixture(engine)
{
    [Test]
    public async Task The_same_Trasmissione_sent_by_eight_clients_at_once_is_stored_once_and_all_get_the_same_receipt()
    {
        var flow = new FlowBuilder().Beneficiario().Beneficiario(b => b.CodiceFiscale = "MRTMTT25D09F205Z");
        var bytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sending = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var client = Register.NewClient();
            await start.Task;
            return await client.SubmitAsync(trasmissione, bytes);
        })).ToList();
        start.SetResult();

        var answers = (await Task.WhenAll(sending)).ToList();
        Assert.That(answers, Has.Count.EqualTo(8));
        Assert.That(answers.Select(Convert.ToBase64String).Distinct().Count(), Is.EqualTo(1), "every client gets the winner's receipt");
        Assert.That(ReceiptVerifier.Verify(answers[0], RegisterCertificate).Ricevuta.Esito, Is.EqualTo(Esiti.Ok));
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM submissions WHERE nome_flusso = @n", new { n = flow.Nome }), Is.EqualTo(1));
        Assert.That(await Register.CountAsync(
            "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n", new { n = flow.Nome }), Is.EqualTo(2));
    }

    [Test]
    public async Task Twenty_different_flows_submitted_at_once_are_all_acquired_whole()
    {
        var flows = Enumerable.Range(0, 20).Select(_ => new FlowBuilder().Beneficiario().Beneficiario()).ToList();

        var receipts = await Task.WhenAll(flows.Select(f => Task.Run(() => SubmitAsync(f))));

        Assert.That(receipts.Select(r => r.Esito), Is.All.EqualTo(Esiti.Ok));
        Assert.That(receipts.Select(r => r.IdAcquisizione), Is.Unique);
        foreach (var flow in flows)
            Assert.That(await Register.CountAsync(
                "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n", new { n = flow.Nome }), Is.EqualTo(2));
    }

    [Test]
    public async Task Two_flows_cancelling_the_same_record_at_once_have_one_winner()
    {
        var insert = new FlowBuilder().Beneficiario(b => b.CodiceFiscale = "VRDLGU80B41F205W");
        var record = insert.ToBeneficiaryPrestazione(0);
        Assert.That((await SubmitAsync(insert)).Esito, Is.EqualTo(Esiti.Ok));
        var cancels = Enumerable.Range(0, 2).Select(_ => new FlowBuilder().Beneficiario(b =>
        {
            b.CodiceFiscale = "VRDLGU80B41F205W";
            b.Prestazioni[0] = new(record) { ["TipoOperazione"] = "C" };
        })).ToList();

        var results = await Task.WhenAll(cancels.Select(c => Task.Run(() => SubmitAsync(c))));

        Assert.That(results.Select(r => r.Esito), Is.EquivalentTo(new[] { Esiti.Ok, Esiti.DatiNonTrovati }));
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM benefit_records WHERE codice_fiscale = 'VRDLGU80B41F205W' AND status = 'C'"), Is.EqualTo(1));
    }
}
