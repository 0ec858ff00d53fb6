using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>Record lifecycle and history: nothing is deleted, and the owner reads back who inserted and cancelled each record.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class RecordHistoryTests(string engine) : RegisterFixture(engine)
{
    private X509Certificate2 _milano = null!;
    private const string Person = "BNCGVN70A01H501H";

    [OneTimeSetUp]
    public async Task RegisterMoreBodies()
    {
        _milano = TestCertificates.Ecdsa();
        await Register.RegisterAgencyAsync("F205", _milano, belfiore: "F205");
    }

    private async Task<StoricoPrestazioni> HistoryAsync(string ente, X509Certificate2 signer, string person, string? protocollo = null)
    {
        await using var client = Register.NewClient();
        var raw = await client.GetRecordHistoryAsync(SignedDocuments.SignGetRecordHistory(ente, signer, person, protocolloDomanda: protocollo));
        return ReceiptVerifier.VerifyDocument<StoricoPrestazioni>(raw, RegisterCertificate);
    }

    [Test]
    public async Task Insert_cancel_and_reinsert_leave_a_history_the_owner_can_read_back()
    {
        var insert = new FlowBuilder().Beneficiario(b => b.CodiceFiscale = Person);
        var record = insert.ToBeneficiaryPrestazione(0);
        var protocollo = record["ProtocolloDomanda"]!;
        var first = await SubmitAsync(insert);
        var cancel = new FlowBuilder().Beneficiario(b => { b.CodiceFiscale = Person; b.Prestazioni[0] = new(record) { ["TipoOperazione"] = "C" }; });
        var cancelled = await SubmitAsync(cancel);
        var again = new FlowBuilder().Beneficiario(b => { b.CodiceFiscale = Person; b.Prestazioni[0] = new(record) { ["ImportoPrestazione"] = "99.90" }; });
        var reinserted = await SubmitAsync(again);
        Assert.That(new[] { first.Esito, cancelled.Esito, reinserted.Esito }, Is.All.EqualTo(Esiti.Ok));

        var storico = await HistoryAsync("H501", Roma, Person, protocollo);

        Assert.That(storico.Prestazioni, Has.Count.EqualTo(2));
        var (old, current) = (storico.Prestazioni[0], storico.Prestazioni[1]);
        Assert.Multiple(() =>
        {
            Assert.That(storico.CodiceFiscale, Is.EqualTo(Person));
            Assert.That(old.Stato, Is.EqualTo("ANNULLATA"));
            Assert.That(old.InseritaDa.IdAcquisizione, Is.EqualTo(first.IdAcquisizione));
            Assert.That(old.AnnullataDa!.NomeFlusso, Is.EqualTo(cancel.Nome));
            Assert.That(old.AnnullataDa.IdAcquisizione, Is.EqualTo(cancelled.IdAcquisizione));
            Assert.That(old.ImportoPrestazione, Is.EqualTo(150.00m));
            Assert.That(current.Stato, Is.EqualTo("ATTIVA"));
            Assert.That(current.InseritaDa.NomeFlusso, Is.EqualTo(again.Nome));
            Assert.That(current.AnnullataDa, Is.Null);
            Assert.That(current.ImportoPrestazione, Is.EqualTo(99.90m));
        });
    }

    [Test]
    public async Task Another_body_sees_none_of_the_owner_s_records()
    {
        await SubmitAsync(new FlowBuilder().Beneficiario(b => b.CodiceFiscale = "MRTMTT25D09F205Z"));

        Assert.That((await HistoryAsync("H501", Roma, "MRTMTT25D09F205Z")).Prestazioni, Is.Not.Empty);
        Assert.That((await HistoryAsync("F205", _milano, "MRTMTT25D09F205Z")).Prestazioni, Is.Empty);
    }

    [Test]
    public async Task A_history_request_without_a_valid_fiscal_code_or_for_another_operation_is_refused()
    {
        await using var client = Register.NewClient();

        var badPerson = Assert.ThrowsAsync<FaultException>(() => client.GetRecordHistoryAsync(SignedDocuments.SignGetRecordHistory("H501", Roma, "RSSMRA85T10A562X")));
        var wrongOperation = Assert.ThrowsAsync<FaultException>(() => client.GetRecordHistoryAsync(SignedDocuments.SignGetReceipt("H501", Roma, idAcquisizione: Guid.NewGuid().ToString())));

        Assert.That(badPerson!.Code.Name, Is.EqualTo(FaultCodes.DocumentInvalid));
        Assert.That(wrongOperation!.Code.Name, Is.EqualTo(FaultCodes.DocumentInvalid));
    }
}
