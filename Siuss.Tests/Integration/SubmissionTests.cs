using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using Siuss.Client;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Rules;
using Siuss.Tests.Support;

namespace Siuss.Tests.Integration;

/// <summary>The submission channel end to end: real host, real HTTP, real WCF client, real SQLite file.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Engines))]
public sealed class SubmissionTests(string engine) : RegisterFixture(engine)
{

    private Task<long> ActiveRecordsOf(string nomeFlusso) => Register.CountAsync(
        "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n AND r.status = 'A'",
        new { n = nomeFlusso });

    private Task<long> SubmissionsOf(string nomeFlusso) =>
        Register.CountAsync("SELECT COUNT(*) FROM submissions WHERE nome_flusso = @n", new { n = nomeFlusso });

    private static string Describe(Ricevuta r) =>
        string.Join("; ", r.ErroriFlusso.Select(e => $"{e.Codice} {e.Messaggio}")
            .Concat(r.EsitiRecord.SelectMany(x => x.Errori.Select(e => $"#{x.Progressivo} {e.Codice} {e.Messaggio}"))));

    [Test]
    public async Task A_valid_flow_is_acquired_and_answered_with_a_receipt_signed_by_the_register()
    {
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma);

        var ricevuta = await SubmitAsync(flow, trasmissione);

        Assert.Multiple(() =>
        {
            Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), Describe(ricevuta));
            Assert.That(Guid.TryParse(ricevuta.IdAcquisizione, out _), Is.True);
            Assert.That(ricevuta.CodiceEnte, Is.EqualTo("H501"));
            Assert.That(ricevuta.NomeFlusso, Is.EqualTo(flow.Nome));
            Assert.That(ricevuta.HashRichiesta, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(trasmissione))));
            Assert.That(ricevuta.HashFlusso, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
            Assert.That(ricevuta.DataOraRicezione, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(2)));
            Assert.That(ricevuta.IdCorrelazione, Is.Not.Empty);
            Assert.That(ricevuta.Riepilogo.Totali, Is.EqualTo(1));
            Assert.That(ricevuta.EsitiRecord.Single().Esito, Is.EqualTo(Esiti.Ok));
        });
        Assert.That(await ActiveRecordsOf(flow.Nome), Is.EqualTo(1));
    }

    [Test]
    public async Task The_raw_signed_request_the_raw_flow_and_the_signed_receipt_are_kept_as_evidence()
    {
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma);
        await using var client = Register.NewClient();
        var receipt = await client.SubmitAsync(trasmissione, bytes);

        var matching = await Register.CountAsync(
            "SELECT COUNT(*) FROM submissions s JOIN submission_flows f ON f.submission_id = s.id " +
            "WHERE s.nome_flusso = @n AND s.raw_trasmissione = @t AND f.raw_flusso = @f AND s.ricevuta = @r",
            new { n = flow.Nome, t = trasmissione, f = bytes, r = receipt });
        Assert.That(matching, Is.EqualTo(1));
    }

    [Test]
    public async Task A_batch_with_many_beneficiaries_periodic_and_one_off_benefits_and_a_SINA_assessment_is_stored_whole()
    {
        const string sina =
            "<SINA xmlns=\"http://inps.it/Casellario\" Mobilita=\"2\" AttivitaVitaQuotidiana=\"3\" DisturbiComportamentali=\"1\" " +
            "AreaReddituale=\"1\" AreaSupporto=\"2\" FonteDerivazioneValutazione=\"1\" StrumentoValutazione=\"3\">" +
            "<NecessitaInterventiSociali><CodicePrestazione>A2.07</CodicePrestazione><CodicePrestazione>A2.08</CodicePrestazione></NecessitaInterventiSociali>" +
            "<InvaliditaCivile><InvCiv>2</InvCiv></InvaliditaCivile></SINA>";
        var flow = new FlowBuilder()
            .Beneficiario(b => b.Prestazioni.Add(BeneficiarioSpec.DefaultPeriodic()))
            .Beneficiario(b =>
            {
                b.CodiceFiscale = "MRTMTT25D09F205Z";
                b.Prestazioni[0] = BeneficiarioSpec.DefaultPeriodic();
                b.SinaXml = sina;
                b.Indirizzi.Add(new() { ["CodiceNazione"] = "208" });
            })
            .Beneficiario(b => b.CodiceFiscale = "01234567897");

        var ricevuta = await SubmitAsync(flow);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), Describe(ricevuta));
        Assert.That(ricevuta.Riepilogo.Totali, Is.EqualTo(4));
        Assert.That(await ActiveRecordsOf(flow.Nome), Is.EqualTo(4));
        Assert.That(await Register.CountAsync(
            "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n AND r.sina LIKE '%A2.08%'",
            new { n = flow.Nome }), Is.EqualTo(1));
        Assert.That(await Register.CountAsync(
            "SELECT COUNT(*) FROM beneficiary_addresses a JOIN beneficiaries b ON b.id = a.beneficiary_id JOIN submissions s ON s.id = b.submission_id WHERE s.nome_flusso = @n",
            new { n = flow.Nome }), Is.EqualTo(4));
    }

    [Test]
    public async Task One_bad_record_refuses_the_whole_flow_and_nothing_is_stored()
    {
        var flow = new FlowBuilder()
            .Beneficiario()
            .Beneficiario(b => b.CodiceFiscale = "RSSMRA85T10A562X");

        var ricevuta = await SubmitAsync(flow);

        Assert.Multiple(() =>
        {
            Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
            Assert.That(ricevuta.IdAcquisizione, Is.Null);
            Assert.That(ricevuta.EsitiRecord[0].Esito, Is.EqualTo(Esiti.Ok));
            Assert.That(ricevuta.EsitiRecord[1].Errori.Single().Codice, Is.EqualTo(RuleCodes.FiscalCodeInvalid));
            Assert.That(ricevuta.Riepilogo.Scartati, Is.EqualTo(1));
        });
        Assert.That(await ActiveRecordsOf(flow.Nome), Is.Zero);
        Assert.That(await Register.CountAsync(
            "SELECT COUNT(*) FROM beneficiaries b JOIN submissions s ON s.id = b.submission_id WHERE s.nome_flusso = @n", new { n = flow.Nome }), Is.Zero);
        Assert.That(await Register.CountAsync("SELECT COUNT(*) FROM submissions WHERE nome_flusso = @n AND esito = 'RICHIESTA_INVALIDA'", new { n = flow.Nome }), Is.EqualTo(1));
    }

    [Test]
    public async Task A_cancellation_by_natural_key_marks_the_record_cancelled_and_keeps_it()
    {
        var insert = new FlowBuilder().Beneficiario(b => b.CodiceFiscale = "BNCGVN70A01H501H");
        var original = new Dictionary<string, string?>(insert.ToBeneficiaryPrestazione(0));
        Assert.That((await SubmitAsync(insert)).Esito, Is.EqualTo(Esiti.Ok));

        var cancel = new FlowBuilder().Beneficiario(b =>
        {
            b.CodiceFiscale = "BNCGVN70A01H501H";
            b.Prestazioni[0] = new Dictionary<string, string?>(original) { ["TipoOperazione"] = "C" };
        });
        var ricevuta = await SubmitAsync(cancel);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), Describe(ricevuta));
        Assert.That(await ActiveRecordsOf(insert.Nome), Is.Zero);
        Assert.That(await Register.CountAsync(
            "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.cancelled_by_submission_id WHERE s.nome_flusso = @n AND r.status = 'C'",
            new { n = cancel.Nome }), Is.EqualTo(1));
    }

    [Test]
    public async Task Cancelling_a_record_that_does_not_exist_answers_DATI_NON_TROVATI()
    {
        var cancel = new FlowBuilder().Beneficiario(b => b.Prestazione["TipoOperazione"] = "C");

        var ricevuta = await SubmitAsync(cancel);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.DatiNonTrovati));
        Assert.That(ricevuta.EsitiRecord.Single().Errori.Single().Codice, Is.EqualTo(RuleCodes.RecordNotFound));
        Assert.That(await SubmissionsOf(cancel.Nome), Is.EqualTo(1));
    }

    [Test]
    public async Task A_correction_is_a_cancel_and_an_insert_in_one_flow_applied_in_order()
    {
        var insert = new FlowBuilder().Beneficiario(b => b.CodiceFiscale = "VRDLGU80B41F205W");
        var original = insert.ToBeneficiaryPrestazione(0);
        Assert.That((await SubmitAsync(insert)).Esito, Is.EqualTo(Esiti.Ok));

        var correction = new FlowBuilder().Beneficiario(b =>
        {
            b.CodiceFiscale = "VRDLGU80B41F205W";
            b.Prestazioni[0] = new Dictionary<string, string?>(original) { ["TipoOperazione"] = "C" };
            b.Prestazioni.Add(new Dictionary<string, string?>(original) { ["ImportoPrestazione"] = "175.50" });
        });
        var ricevuta = await SubmitAsync(correction);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), Describe(ricevuta));
        Assert.That(await ActiveRecordsOf(correction.Nome), Is.EqualTo(1));
        Assert.That(await Register.CountAsync(
            "SELECT COUNT(*) FROM benefit_records WHERE codice_fiscale = 'VRDLGU80B41F205W' AND status = 'A' AND CAST(importo_prestazione AS REAL) = 175.5"), Is.EqualTo(1));
    }

    [Test]
    public async Task Inserting_a_record_that_is_already_active_is_a_duplicate()
    {
        var first = new FlowBuilder().Beneficiario(b => b.CodiceFiscale = "NREFNC75C03L219P");
        var record = first.ToBeneficiaryPrestazione(0);
        Assert.That((await SubmitAsync(first)).Esito, Is.EqualTo(Esiti.Ok));

        var again = new FlowBuilder().Beneficiario(b =>
        {
            b.CodiceFiscale = "NREFNC75C03L219P";
            b.Prestazioni[0] = new Dictionary<string, string?>(record);
        });
        var ricevuta = await SubmitAsync(again);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.EsitiRecord.Single().Errori.Single().Codice, Is.EqualTo(RuleCodes.RecordDuplicate));
        Assert.That(await ActiveRecordsOf(again.Nome), Is.Zero);
    }

    [Test]
    public async Task Sending_the_same_Trasmissione_again_returns_the_same_receipt_and_stores_nothing_twice()
    {
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma);
        await using var client = Register.NewClient();

        var first = await client.SubmitAsync(trasmissione, bytes);
        var second = await client.SubmitAsync(trasmissione, bytes);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(await SubmissionsOf(flow.Nome), Is.EqualTo(1));
        Assert.That(await ActiveRecordsOf(flow.Nome), Is.EqualTo(1));
    }

    [Test]
    public async Task A_different_message_with_an_already_acquired_flow_name_is_refused_with_its_own_code()
    {
        var flow = new FlowBuilder().Beneficiario();
        Assert.That((await SubmitAsync(flow)).Esito, Is.EqualTo(Esiti.Ok));

        var ricevuta = await SubmitAsync(flow); // same flow, new IdMessaggio

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.ErroriFlusso.Single().Codice, Is.EqualTo(RuleCodes.FlowNameAlreadyAcquired));
        Assert.That(await ActiveRecordsOf(flow.Nome), Is.EqualTo(1));
    }

    [Test]
    public async Task The_same_IdMessaggio_with_a_different_Trasmissione_is_a_fault()
    {
        var id = Guid.NewGuid();
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        await using var client = Register.NewClient();
        await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma, idMessaggio: id), bytes);

        var other = new FlowBuilder().Beneficiario();
        var otherBytes = other.ToBytes();
        var fault = Assert.ThrowsAsync<FaultException>(() =>
            client.SubmitAsync(SignedDocuments.SignTrasmissione(otherBytes, "H501", other.Nome, Roma, idMessaggio: id), otherBytes));

        Assert.That(fault!.Code.Name, Is.EqualTo(FaultCodes.MessageIdReused));
        Assert.That(await SubmissionsOf(other.Nome), Is.Zero);
    }

    [Test]
    public async Task GetReceipt_returns_the_stored_receipt_to_its_owner_by_acquisition_id_and_by_IdMessaggio()
    {
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        var id = Guid.NewGuid();
        await using var client = Register.NewClient();
        var original = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma, idMessaggio: id), bytes);
        var idAcquisizione = ReceiptVerifier.Verify(original, RegisterCertificate).Ricevuta.IdAcquisizione;

        var byAcquisition = await client.GetReceiptAsync(SignedDocuments.SignGetReceipt("H501", Roma, idAcquisizione: idAcquisizione));
        var byMessage = await client.GetReceiptAsync(SignedDocuments.SignGetReceipt("H501", Roma, idMessaggioTrasmissione: id.ToString()));

        Assert.That(byAcquisition, Is.EqualTo(original));
        Assert.That(byMessage, Is.EqualTo(original));
    }

    [Test]
    public async Task GetReceipt_does_not_reveal_another_body_s_receipt()
    {
        var flow = new FlowBuilder().Beneficiario();
        var ricevuta = await SubmitAsync(flow);
        var milano = TestCertificates.Ecdsa();
        await Register.RegisterAgencyAsync("F205", milano, belfiore: "F205");
        await using var client = Register.NewClient();

        var answer = await client.GetReceiptAsync(SignedDocuments.SignGetReceipt("F205", milano, idAcquisizione: ricevuta.IdAcquisizione));

        var parsed = ReceiptVerifier.Verify(answer, RegisterCertificate).Ricevuta;
        Assert.That(parsed.Esito, Is.EqualTo(Esiti.DatiNonTrovati));
        Assert.That(parsed.NomeFlusso, Is.Empty);
    }

    [Test]
    public async Task A_replayed_GetReceipt_request_is_refused()
    {
        var flow = new FlowBuilder().Beneficiario();
        var ricevuta = await SubmitAsync(flow);
        var richiesta = SignedDocuments.SignGetReceipt("H501", Roma, idAcquisizione: ricevuta.IdAcquisizione);
        await using var client = Register.NewClient();
        await client.GetReceiptAsync(richiesta);

        var fault = Assert.ThrowsAsync<FaultException>(() => client.GetReceiptAsync(richiesta));
        Assert.That(fault!.Code.Name, Is.EqualTo(FaultCodes.MessageIdReused));
    }

    [Test]
    public async Task A_stale_GetReceipt_request_is_refused()
    {
        var richiesta = SignedDocuments.SignGetReceipt("H501", Roma, idAcquisizione: Guid.NewGuid().ToString(), dataOraUtc: DateTime.UtcNow.AddHours(-1));
        await using var client = Register.NewClient();

        var fault = Assert.ThrowsAsync<FaultException>(() => client.GetReceiptAsync(richiesta));
        Assert.That(fault!.Code.Name, Is.EqualTo(FaultCodes.MessageStale));
    }

    [Test]
    public async Task Flow_bytes_that_differ_from_the_signed_digest_are_refused_and_nothing_is_stored()
    {
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma);
        var tampered = (byte[])bytes.Clone();
        var at = Array.LastIndexOf(tampered, (byte)'1');
        tampered[at] = (byte)'9';
        await using var client = Register.NewClient();

        var ricevuta = ReceiptVerifier.Verify(await client.SubmitAsync(trasmissione, tampered), RegisterCertificate).Ricevuta;

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Does.Contain(RuleCodes.FlowDigestMismatch));
        Assert.That(await ActiveRecordsOf(flow.Nome), Is.Zero);
    }

    [Test]
    public async Task Flow_bytes_of_another_size_than_signed_are_refused()
    {
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma);
        await using var client = Register.NewClient();

        var ricevuta = ReceiptVerifier.Verify(await client.SubmitAsync(trasmissione, [.. bytes, (byte)'\n']), RegisterCertificate).Ricevuta;

        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Is.EquivalentTo(new[] { RuleCodes.FlowSizeMismatch, RuleCodes.FlowDigestMismatch }));
        Assert.That(await ActiveRecordsOf(flow.Nome), Is.Zero);
    }

    [Test]
    public async Task A_flow_whose_name_differs_from_the_signed_name_is_refused()
    {
        var flow = new FlowBuilder().Beneficiario();
        var bytes = flow.ToBytes();
        var trasmissione = SignedDocuments.SignTrasmissione(bytes, "H501", FlowBuilder.NewName(), Roma);

        var ricevuta = await SubmitAsync(flow, trasmissione);

        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Does.Contain(RuleCodes.FlowNameMismatch));
    }

    [Test]
    public async Task A_flow_naming_another_body_or_another_seat_is_refused()
    {
        var otherEnte = new FlowBuilder().Beneficiario();
        otherEnte.Ente["Codice"] = "F205";
        var otherSeat = new FlowBuilder(belfiore: "F205").Beneficiario();

        Assert.That((await SubmitAsync(otherEnte)).ErroriFlusso.Select(e => e.Codice), Does.Contain(RuleCodes.FlowEnteMismatch));
        Assert.That((await SubmitAsync(otherSeat)).ErroriFlusso.Select(e => e.Codice), Does.Contain(RuleCodes.FlowSeatMismatch));
    }

    [TestCase("H501-PS-20250101")]
    [TestCase("F205.PS.20250101.0000001")]
    [TestCase("H501.XX.20250101.0000001")]
    [TestCase("H501.PS.20251345.0000001")]
    [TestCase("H501.PS.29991231.0000001")]
    public async Task A_badly_formed_flow_name_is_refused(string name)
    {
        var flow = new FlowBuilder(nome: name).Beneficiario();

        var ricevuta = await SubmitAsync(flow);

        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Does.Contain(RuleCodes.FlowNameFormat));
        Assert.That(await ActiveRecordsOf(name), Is.Zero);
    }

    [Test]
    public async Task A_flow_that_breaks_the_schema_is_refused_with_the_line_of_the_problem()
    {
        var flow = new FlowBuilder().Beneficiario(b => b.Prestazione["PresenzaProvaMezzi"] = "9");

        var ricevuta = await SubmitAsync(flow);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.ErroriFlusso.First().Codice, Is.EqualTo(RuleCodes.FlowSchemaInvalid));
        Assert.That(ricevuta.ErroriFlusso.First().Messaggio, Does.Contain("PresenzaProvaMezzi").And.Contain("Line"));
        Assert.That(ricevuta.EsitiRecord, Is.Empty);
        Assert.That(await ActiveRecordsOf(flow.Nome), Is.Zero);
    }

    [TestCase("urn:not-inps")]
    [TestCase("")]
    public async Task A_flow_in_another_namespace_is_refused(string ns)
    {
        var flow = new FlowBuilder().Beneficiario();
        var xml = flow.ToXml().Replace("xmlns=\"http://inps.it/Casellario\"", ns.Length == 0 ? "" : $"xmlns=\"{ns}\"");
        var bytes = System.Text.Encoding.UTF8.GetBytes(xml);
        await using var client = Register.NewClient();

        var raw = await client.SubmitAsync(SignedDocuments.SignTrasmissione(bytes, "H501", flow.Nome, Roma), bytes);

        var ricevuta = ReceiptVerifier.Verify(raw, RegisterCertificate).Ricevuta;
        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.RichiestaInvalida));
        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Does.Contain(RuleCodes.FlowSchemaInvalid));
        Assert.That(await ActiveRecordsOf(flow.Nome), Is.Zero);
    }

    [TestCase("<!DOCTYPE Flusso [<!ENTITY x \"y\">]>", RuleCodes.FlowDtdProhibited)]
    [TestCase("<Flusso xmlns=\"http://inps.it/Casellario\"><IdentificazioneFlusso", RuleCodes.FlowXmlMalformed)]
    public async Task A_flow_with_a_DTD_or_malformed_XML_is_refused(string prefix, string code)
    {
        var name = FlowBuilder.NewName();
        var xml = new FlowBuilder(nome: name).Beneficiario().ToXml();
        var body = prefix.StartsWith("<!DOCTYPE") ? xml.Replace("<Flusso ", prefix + "<Flusso ") : prefix;
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        var trasmissione = SignedDocuments.SignTrasmissione(bytes, "H501", name, Roma);
        await using var client = Register.NewClient();

        var ricevuta = ReceiptVerifier.Verify(await client.SubmitAsync(trasmissione, bytes), RegisterCertificate).Ricevuta;

        Assert.That(ricevuta.ErroriFlusso.Select(e => e.Codice), Does.Contain(code));
        Assert.That(await ActiveRecordsOf(name), Is.Zero);
    }

    [Test]
    public async Task Records_paid_more_than_30_days_before_receipt_are_accepted_and_flagged_late()
    {
        var flow = new FlowBuilder()
            .Beneficiario(b => b.Prestazione["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(45))
            .Beneficiario(b => b.Prestazione["DataErogazionePrestazione"] = FlowBuilder.DaysAgo(10));

        var ricevuta = await SubmitAsync(flow);

        Assert.That(ricevuta.Esito, Is.EqualTo(Esiti.Ok), Describe(ricevuta));
        Assert.That(ricevuta.EsitiRecord.Select(r => r.Tardivo), Is.EqualTo(new[] { true, false }));
        Assert.That(ricevuta.Riepilogo.Tardivi, Is.EqualTo(1));
        Assert.That(await Register.CountAsync(
            "SELECT COUNT(*) FROM benefit_records r JOIN submissions s ON s.id = r.submission_id WHERE s.nome_flusso = @n AND r.late = @late",
            new { n = flow.Nome, late = true }), Is.EqualTo(1));
    }
}
