using System.Security.Cryptography.X509Certificates;
using System.Text;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>SINBA flows through the same channel: acquired whole, stored anonymously, never echoed per child.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class SinbaSubmissionTests(string engine) : RegisterFixture(engine)
{
    private X509Certificate2 _napoli = null!;

    [OneTimeSetUp]
    public async Task RegisterNapoli()
    {
        _napoli = TestCertificates.Rsa("CN=Comune di Napoli");
        await Register.RegisterAgencyAsync("F839", _napoli, belfiore: "F839");
    }

    private static (string Name, byte[] Flow) Sample(string file = "valid-case-closed-came-of-age.xml", string? idBeneficiario = null)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Conformance", "Samples", "Sinba", file);
        var name = FlowBuilder.NewName("F839", "SINBA");
        var xml = File.ReadAllText(path).Replace("F839.SINBA.20250520.0000001", name);
        if (idBeneficiario is not null) xml = xml.Replace("IDBeneficiario=\"NA-AFF-0000102\"", $"IDBeneficiario=\"{idBeneficiario}\"");
        return (name, Encoding.UTF8.GetBytes(xml));
    }

    private async Task<(Ricevuta Ricevuta, byte[] Raw)> SubmitSinbaAsync(string name, byte[] flow, string tipo = TipiFlusso.Sinba)
    {
        await using var client = Register.NewClient();
        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(flow, "F839", name, _napoli, tipo), flow);
        return (ReceiptVerifier.Verify(raw, RegisterCertificate).Ricevuta, raw);
    }

    [Test]
    public async Task A_valid_SINBA_flow_is_acquired_and_stored_without_echoing_the_child_s_code()
    {
        var (name, flow) = Sample();

        var (ricevuta, raw) = await SubmitSinbaAsync(name, flow);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), string.Join("; ", ricevuta.ErroriFlusso.Concat(ricevuta.EsitiRecord.SelectMany(r => r.Errori)).Select(e => e.Codice + " " + e.Messaggio)));
        Assert.That(ricevuta.TipoFlusso, Is.EqualTo(TipiFlusso.Sinba));
        Assert.That(Encoding.UTF8.GetString(raw), Does.Not.Contain("NA-AFF-0000102"));
        Assert.That(await Register.CountAsync(
            "SELECT COUNT(*) FROM sinba_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n AND r.fascia_eta = '6'", new { n = name }), Is.EqualTo(1));
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n", new { n = name }), Is.Zero);
    }

    [Test]
    public async Task A_fiscal_code_used_as_the_anonymous_id_is_refused_and_not_stored_or_echoed()
    {
        var (name, flow) = Sample(idBeneficiario: "RSSMRA85T10A562S");

        var (ricevuta, raw) = await SubmitSinbaAsync(name, flow);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.EsitiRecord.Single().Errori.Select(e => e.Codice), Does.Contain(RuleCodes.SinbaIdIsFiscalCode));
        Assert.That(Encoding.UTF8.GetString(raw), Does.Not.Contain("RSSMRA85T10A562S"));
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM sinba_records WHERE id_beneficiario = 'RSSMRA85T10A562S'"), Is.Zero);
    }

    [Test]
    public async Task A_SINBA_flow_declared_as_PS_PSA_SINA_is_refused_by_the_schema_and_the_name_rule()
    {
        var (name, flow) = Sample();

        var (ricevuta, _) = await SubmitSinbaAsync(name, flow, TipiFlusso.PsPsaSina);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Does.Contain(RuleCodes.FlowSchemaInvalid));
    }

    [Test]
    public async Task A_PS_flow_declared_as_SINBA_is_refused()
    {
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        await using var client = Register.NewClient();

        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma, TipiFlusso.Sinba), bytes);

        var ricevuta = ReceiptVerifier.Verify(raw, RegisterCertificate).Ricevuta;
        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Does.Contain(RuleCodes.FlowSchemaInvalid));
    }

    [Test]
    public async Task A_SINBA_conditional_field_without_its_parent_answer_is_acquired_with_a_warning()
    {
        // The spec marks DataSegnalazione "Campo opzionale" with no condition: the dependency is register policy, a warning.
        var (name, flow) = Sample();
        var xml = Encoding.UTF8.GetString(flow).Replace("SegnalazioneAutoritaGiudiziaria=\"1\"", "SegnalazioneAutoritaGiudiziaria=\"2\"");

        var (ricevuta, _) = await SubmitSinbaAsync(name, Encoding.UTF8.GetBytes(xml));

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok));
        Assert.That(ricevuta.EsitiRecord.Single().Errori, Is.Empty);
        Assert.That(ricevuta.EsitiRecord.Single().Avvertenze.Select(e => e.Codice), Is.EqualTo(new[] { RuleCodes.SinbaDataSegnalazioneNotAllowed }));
        Assert.That(ricevuta.Riepilogo.Avvertiti, Is.EqualTo(1));
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM sinba_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n", new { n = name }), Is.EqualTo(1));
    }
}
