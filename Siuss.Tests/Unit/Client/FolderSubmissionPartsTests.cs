using Siuss.Client;
using System.ServiceModel;
using System.Text;
using Siuss.Client.Submission;
using Siuss.Contracts;
using Siuss.Contracts.Documents;

namespace Siuss.Tests.Unit.Client;

/// <summary>The small parts of the folder submission that decide without a register: flow identity, transient faults, atomic files, the journal.</summary>
[TestFixture]
public sealed class FolderSubmissionPartsTests
{
    private string _dir = null!;

    [SetUp]
    public void Folder() => _dir = Directory.CreateTempSubdirectory("siuss-folder-parts-").FullName;

    [TearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);

    private static string Sample(string kind, string file) =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "Conformance", "Samples", kind, file);

    [Test]
    public void The_flow_type_is_read_from_the_first_record()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FlowIdentity.Read(Sample("Sinba", "valid-case-closed-came-of-age.xml")),
                Is.EqualTo(new FlowIdentity("F839.SINBA.20250520.0000001", TipiFlusso.Sinba)));
            Assert.That(FlowIdentity.Read(Sample("PsPsaSina", "valid-many-beneficiaries.xml")).TipoFlusso, Is.EqualTo(TipiFlusso.PsPsaSina));
        });
    }

    [TestCase("<Flusso xmlns=\"http://inps.it/Casellario\"><IdentificazioneFlusso Nome=\"H501.PS.20260101.1\"/><Beneficiario/></Flusso>", "H501.PS.20260101.1", TipiFlusso.PsPsaSina, TestName = "Compact, no whitespace")]
    [TestCase("<Flusso xmlns=\"http://inps.it/Casellario\"><IdentificazioneFlusso Nome=\"H501.X.20260101.1\"/></Flusso>", "H501.X.20260101.1", null, TestName = "No records")]
    public void Identity_of_a_written_flow(string xml, string nome, string? tipo)
    {
        var path = Path.Combine(_dir, "f.xml");
        File.WriteAllText(path, xml);
        Assert.That(FlowIdentity.Read(path), Is.EqualTo(new FlowIdentity(nome, tipo)));
    }

    [TestCase("<!DOCTYPE Flusso [<!ENTITY x \"x\">]><Flusso/>", "carries a DTD", TestName = "DTD")]
    [TestCase("<Flusso><IdentificazioneFlusso/></Flusso>", "without a Nome", TestName = "No name")]
    [TestCase("<Flusso>", "not well-formed", TestName = "Truncated")]
    [TestCase("<other/>", "no IdentificazioneFlusso", TestName = "Not a flow")]
    public void A_file_that_is_not_a_usable_flow_is_named_in_the_error(string xml, string message)
    {
        var path = Path.Combine(_dir, "f.xml");
        File.WriteAllText(path, xml);
        var error = Assert.Throws<FlowFileException>(() => FlowIdentity.Read(path));
        Assert.That(error!.Message, Does.Contain("'f.xml'").And.Contain(message));
    }

    [Test]
    public void Transient_failures_are_the_ones_retrying_can_change()
    {
        FaultException Fault(string code, string message = "m") => new(new FaultReason(message), new FaultCode(code, Namespaces.Faults), "");
        Assert.Multiple(() =>
        {
            Assert.That(TransientFaults.IsTransient(Fault(FaultCodes.ServerBusy)), Is.True);
            Assert.That(TransientFaults.IsTransient(Fault(FaultCodes.RateLimited)), Is.True);
            Assert.That(TransientFaults.IsTransient(Fault(FaultCodes.InternalError)), Is.True);
            Assert.That(TransientFaults.IsTransient(new EndpointNotFoundException("down")), Is.True);
            Assert.That(TransientFaults.IsTransient(new TimeoutException()), Is.True);
            Assert.That(TransientFaults.IsTransient(new RetryableReceiptException("ERRORE_GENERICO")), Is.True);
            Assert.That(TransientFaults.IsTransient(Fault(FaultCodes.CertificateNotRegistered)), Is.False);
            Assert.That(TransientFaults.IsTransient(Fault(FaultCodes.MessageStale)), Is.False);
            Assert.That(TransientFaults.IsTransient(new InvalidOperationException()), Is.False);
            Assert.That(TransientFaults.RequestedDelay(Fault(FaultCodes.RateLimited, "Too many submissions; nothing was stored. Retry after 250 ms.")),
                Is.EqualTo(TimeSpan.FromMilliseconds(250)));
            Assert.That(TransientFaults.RequestedDelay(Fault(FaultCodes.ServerBusy, "busy")), Is.Null);
        });
    }

    [Test]
    public async Task The_retry_pipeline_gives_up_after_its_retries_and_lets_permanent_faults_through_at_once()
    {
        var attempts = 0;
        var retried = new List<int>();
        var pipeline = TransientFaults.Pipeline(2, TimeSpan.FromMilliseconds(1), (attempt, _, _) => retried.Add(attempt));

        Assert.ThrowsAsync<EndpointNotFoundException>(async () =>
            await pipeline.ExecuteAsync(_ => { attempts++; throw new EndpointNotFoundException("down"); }));
        Assert.That((attempts, retried), Is.EqualTo((3, new List<int> { 1, 2 })));

        attempts = 0;
        Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await pipeline.ExecuteAsync(_ => { attempts++; throw new InvalidOperationException(); }));
        Assert.That(attempts, Is.EqualTo(1));
        await Task.CompletedTask;
    }

    [Test]
    public async Task An_atomic_write_replaces_the_whole_file_and_leaves_no_temporary()
    {
        var target = Path.Combine(_dir, "r.xml");
        var temporary = Path.Combine(_dir, "tmp");
        await AtomicFile.WriteAsync(target, Encoding.UTF8.GetBytes("old"), temporary);
        await AtomicFile.WriteAsync(target, Encoding.UTF8.GetBytes("new"), temporary);
        File.WriteAllText(Path.Combine(temporary, "x" + AtomicFile.TemporarySuffix), "a killed run's leftover");

        AtomicFile.DeleteLeftovers(temporary);

        Assert.That(File.ReadAllText(target), Is.EqualTo("new"));
        Assert.That(Directory.GetFiles(temporary), Is.Empty);
    }

    [Test]
    public async Task A_journal_entry_round_trips_with_its_signed_bytes_exactly()
    {
        var journal = new SubmissionJournal(_dir);
        var entry = new JournalEntry
        {
            File = "flow.xml", Sha256 = new string('a', 64), NomeFlusso = "H501.PS.20260101.1", TipoFlusso = TipiFlusso.PsPsaSina,
            IdMessaggio = Guid.NewGuid().ToString(), SignedAtUtc = new DateTime(2026, 1, 1, 10, 0, 0, DateTimeKind.Utc),
            Trasmissione = [0, 1, 2, 255, 60, 62], Superseded = ["old-id"],
        };

        await journal.SaveAsync(entry);
        var read = new SubmissionJournal(_dir).Find("flow.xml")!;

        Assert.Multiple(() =>
        {
            Assert.That(read.IdMessaggio, Is.EqualTo(entry.IdMessaggio));
            Assert.That(read.Trasmissione, Is.EqualTo(entry.Trasmissione));
            Assert.That(read.Superseded, Is.EqualTo(entry.Superseded));
            Assert.That(read.SignedAtUtc, Is.EqualTo(entry.SignedAtUtc));
            Assert.That(new SubmissionJournal(_dir).Find("other.xml"), Is.Null);
        });
    }

    [Test]
    public void Receipts_are_not_taken_for_flows_and_live_beside_them()
    {
        foreach (var name in new[] { "b.xml", "a.xml", "a.ricevuta.xml", "notes.txt" })
            File.WriteAllText(Path.Combine(_dir, name), "x");
        Directory.CreateDirectory(Path.Combine(_dir, "sub"));
        File.WriteAllText(Path.Combine(_dir, "sub", "c.xml"), "x");

        Assert.That(FlowFolder.FlowFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { "a.xml", "b.xml" }));
        Assert.That(FlowFolder.ReceiptPath(Path.Combine(_dir, "a.xml")), Is.EqualTo(Path.Combine(_dir, "a.ricevuta.xml")));
    }
}
