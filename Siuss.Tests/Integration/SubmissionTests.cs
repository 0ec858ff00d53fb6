using System.ServiceModel;
using System.Text;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>The submission channel end to end: real host, real HTTP, real WCF client, real SQLite file.</summary>
[TestFixture]
public sealed class SubmissionTests
{
    private RunningRegister _register = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _roma = null!;
    private System.Security.Cryptography.X509Certificates.X509Certificate2 _registerCertificate = null!;

    [OneTimeSetUp]
    public async Task StartRegister()
    {
        _register = await RunningRegister.StartAsync();
        _roma = TestCertificates.Rsa();
        await _register.RegisterAgencyAsync("H501", _roma);
        _registerCertificate = await _register.DownloadReceiptCertificateAsync();
    }

    [OneTimeTearDown]
    public async Task StopRegister() => await _register.DisposeAsync();

    private async Task<(Ricevuta Ricevuta, byte[] Raw)> SubmitAsync(FlowBuilder flow, byte[]? trasmissione = null)
    {
        var bytes = flow.ToBytes();
        trasmissione ??= SignedDocuments.SignTrasmissione(bytes, flow.CodiceEnte, flow.Nome, _roma);
        await using var client = _register.NewClient();
        var raw = await client.SubmitAsync(trasmissione, bytes);
        return (ReceiptVerifier.Verify(raw, _registerCertificate).Ricevuta, raw);
    }

    [Test]
    public async Task A_valid_flow_is_acquired_and_answered_with_a_receipt_signed_by_the_register()
    {
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, _roma);

        var (ricevuta, _) = await SubmitAsync(flow, trasmissione);

        Assert.Multiple(() =>
        {
            Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), string.Join("; ", ricevuta.ErroriFlusso.Select(e => e.Codice + " " + e.Messaggio)));
            Assert.That(Guid.TryParse(ricevuta.IdAcquisizione, out _), Is.True);
            Assert.That(ricevuta.CodiceEnte, Is.EqualTo("H501"));
            Assert.That(ricevuta.NomeFlusso, Is.EqualTo(flow.Nome));
            Assert.That(ricevuta.HashRichiesta, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(trasmissione))));
            Assert.That(ricevuta.DataOraRicezione, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(2)));
            Assert.That(ricevuta.Riepilogo.Totali, Is.EqualTo(1));
            Assert.That(ricevuta.EsitiRecord.Single().Esito, Is.EqualTo(Esiti.Ok));
        });
        Assert.That(await _register.CountAsync("SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n AND r.status = 'A'", new { n = flow.Nome }), Is.EqualTo(1));
    }
}
