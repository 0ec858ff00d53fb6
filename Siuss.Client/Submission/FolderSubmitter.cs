using System.Security.Cryptography;
using System.ServiceModel;
using Siuss.Contracts;
using Siuss.Contracts.Documents;

namespace Siuss.Client.Submission;

/// <summary>
/// Submits every flow file of a folder, resumably. Per file: a saved verified receipt for the same content means done
/// (nothing sent); a Trasmissione journaled by an earlier run is first looked up with GetReceipt and resent unchanged only
/// if the register does not have it; otherwise a new Trasmissione is signed, journaled, and only then sent. So a run
/// killed at any instant, run again, leaves every file acquired exactly once.
/// </summary>
public sealed class FolderSubmitter(FolderSubmissionOptions options, ISubmissionObserver? observer = null)
{
    private readonly ISubmissionObserver _observer = observer ?? new NullObserver();
    // Set when a file gave up because the register was unreachable: later files are not tried, so a run against a
    // register that is down ends in seconds rather than after every file's retries.
    private volatile bool _registerUnreachable;

    /// <summary>Works through the folder's flow files (see <see cref="FlowFolder.FlowFiles"/>) and returns one outcome per file, in name order.</summary>
    public async Task<IReadOnlyList<FileOutcome>> SubmitAsync(string folder, CancellationToken ct = default)
    {
        var journal = new SubmissionJournal(folder);
        using var folderLock = journal.Lock();
        var files = FlowFolder.FlowFiles(folder);
        _observer.Started(files.Count);
        var outcomes = new FileOutcome[files.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = ct },
            async (index, token) =>
            {
                var outcome = await SubmitFileAsync(journal, files[index], token);
                outcomes[index] = outcome;
                _observer.FileFinished(outcome);
            });
        return outcomes;
    }

    private async Task<FileOutcome> SubmitFileAsync(SubmissionJournal journal, string path, CancellationToken ct)
    {
        var file = Path.GetFileName(path);
        _observer.FileStarted(file);
        string? nome = null;
        try
        {
            var flow = await File.ReadAllBytesAsync(path, ct);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(flow));
            var receiptPath = FlowFolder.ReceiptPath(path);

            if (SavedReceipt(journal, receiptPath, sha256) is { } saved)
                return new FileOutcome(file, saved.Esito == Esiti.Ok ? FileStatus.AlreadyAcknowledged : FileStatus.RefusedEarlier)
                    { NomeFlusso = saved.NomeFlusso, Ricevuta = saved, ReceiptPath = receiptPath };

            var identity = FlowIdentity.Read(path);
            nome = identity.Nome;
            var entry = journal.Find(file);
            var recovering = entry is not null && entry.Sha256 == sha256;
            if (_registerUnreachable)
                return Unreachable(file, nome, "not tried: the register was unreachable for an earlier file");

            if (recovering)
            {
                // An earlier run signed this content and may have sent it: ask before sending, so it is never acquired twice.
                if (await FindAtRegisterAsync(entry!, ct) is { } found)
                {
                    await AtomicFile.WriteAsync(receiptPath, found.Raw, journal.TemporaryDirectory, ct);
                    return Received(file, found.Ricevuta, receiptPath, found.Ricevuta.Esito == Esiti.Ok ? FileStatus.Recovered : FileStatus.Refused);
                }
            }
            else
            {
                // New content (or a new file): an unanswered Trasmissione of the old content is kept in Superseded for audit.
                entry = await SignAndJournalAsync(journal, file, flow, sha256, identity, entry, ct);
            }

            var (raw, ricevuta) = await SendAsync(journal, flow, sha256, identity, entry!, ct);
            await AtomicFile.WriteAsync(receiptPath, raw, journal.TemporaryDirectory, ct);
            return Received(file, ricevuta, receiptPath, ricevuta.Esito == Esiti.Ok ? FileStatus.Sent : FileStatus.Refused);
        }
        catch (FlowFileException e)
        {
            return Failed(file, nome, FailureKind.UnusableFile, e.Message);
        }
        catch (InvalidDataException e)
        {
            return Failed(file, nome, FailureKind.UnusableFile, e.Message);
        }
        catch (FaultException e) when (!TransientFaults.IsTransient(e))
        {
            return Failed(file, nome, FailureKind.Fault, $"SOAP fault {e.Code?.Name}: {e.Message}");
        }
        catch (ReceiptVerificationException e)
        {
            return Failed(file, nome, FailureKind.NotVerifiable, e.Message);
        }
        catch (Exception e) when (TransientFaults.IsTransient(e))
        {
            if (e is not RetryableReceiptException) _registerUnreachable = true;
            return Unreachable(file, nome, e is FaultException fault ? $"SOAP fault {fault.Code?.Name}: {fault.Message}" : e.Message);
        }
        catch (IOException e)
        {
            return Failed(file, nome, FailureKind.UnusableFile, e.Message);
        }
    }

    /// <summary>The saved receipt when it verifies and is for this content; a receipt of other content is moved aside.</summary>
    private Ricevuta? SavedReceipt(SubmissionJournal journal, string receiptPath, string sha256)
    {
        if (!File.Exists(receiptPath)) return null;
        Ricevuta? ricevuta = null;
        try
        {
            ricevuta = ReceiptVerifier.Verify(File.ReadAllBytes(receiptPath), options.RegisterCertificate).Ricevuta;
            if (ricevuta.HashFlusso == sha256) return ricevuta;
        }
        catch (ReceiptVerificationException)
        {
            // Not the register's (or another register's key): it proves nothing; keep it aside and ask the register again.
        }
        Directory.CreateDirectory(journal.SupersededDirectory);
        var stem = Path.GetFileNameWithoutExtension(receiptPath);
        var label = ricevuta is null ? "unverified-" + Guid.NewGuid().ToString("N") : ricevuta.IdMessaggio;
        File.Move(receiptPath, Path.Combine(journal.SupersededDirectory, $"{stem}.{label}.xml"), overwrite: true);
        return null;
    }

    private async Task<JournalEntry> SignAndJournalAsync(SubmissionJournal journal, string file, byte[] flow, string sha256,
        FlowIdentity identity, JournalEntry? previous, CancellationToken ct)
    {
        var idMessaggio = Guid.NewGuid();
        var dataOra = DateTime.UtcNow;
        var tipo = options.TipoFlusso ?? identity.TipoFlusso ?? TipiFlusso.PsPsaSina;
        var entry = new JournalEntry
        {
            File = file,
            Sha256 = sha256,
            NomeFlusso = identity.Nome,
            TipoFlusso = tipo,
            IdMessaggio = idMessaggio.ToString(),
            SignedAtUtc = new DateTime(dataOra.Ticks - dataOra.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc),
            Trasmissione = SignedDocuments.SignTrasmissione(flow, options.CodiceEnte, identity.Nome, options.Signer, tipo, idMessaggio, dataOra),
            Superseded = previous is null ? [] : [.. previous.Superseded, previous.IdMessaggio],
        };
        // Journaled BEFORE sending: after a crash the IdMessaggio to ask about is known.
        await journal.SaveAsync(entry, ct);
        return entry;
    }

    private async Task<(byte[] Raw, Ricevuta Ricevuta)> SendAsync(SubmissionJournal journal, byte[] flow, string sha256,
        FlowIdentity identity, JournalEntry entry, CancellationToken ct)
    {
        try
        {
            return await SendOnceAsync(entry, flow, ct);
        }
        catch (FaultException e) when (e.Code?.Name == FaultCodes.MessageStale)
        {
            // The register checks a repeat BEFORE freshness, so MessageStale means it does not hold this IdMessaggio: the
            // journaled Trasmissione is simply too old to send. Sign a fresh one (journaled first, as always) and send that.
            var fresh = await SignAndJournalAsync(journal, entry.File, flow, sha256, identity, entry, ct);
            return await SendOnceAsync(fresh, flow, ct);
        }
    }

    private async Task<(byte[] Raw, Ricevuta Ricevuta)> SendOnceAsync(JournalEntry entry, byte[] flow, CancellationToken ct)
    {
        var pipeline = Pipeline(entry.File);
        return await pipeline.ExecuteAsync(async token =>
        {
            byte[] raw;
            await using (var client = new RegisterClient(options.Endpoint, options.CallTimeout))
                raw = await client.SubmitAsync(entry.Trasmissione, flow);
            var ricevuta = VerifyFor(raw, entry);
            if (ricevuta.Esito == Esiti.ErroreGenerico)
                throw new RetryableReceiptException("The register answered ERRORE_GENERICO (it failed and stored nothing).");
            return (raw, ricevuta);
        }, ct);
    }

    /// <summary>GetReceipt by the journaled IdMessaggio: the stored receipt when the register has the submission, else null.</summary>
    private async Task<(byte[] Raw, Ricevuta Ricevuta)?> FindAtRegisterAsync(JournalEntry entry, CancellationToken ct)
    {
        var pipeline = Pipeline(entry.File);
        return await pipeline.ExecuteAsync<(byte[], Ricevuta)?>(async token =>
        {
            // Signed inside the retry: a Richiesta's IdMessaggio is never reused, even when the first attempt may have arrived.
            var richiesta = SignedDocuments.SignGetReceipt(options.CodiceEnte, options.Signer, idMessaggioTrasmissione: entry.IdMessaggio);
            byte[] raw;
            await using (var client = new RegisterClient(options.Endpoint, options.CallTimeout))
                raw = await client.GetReceiptAsync(richiesta);
            var ricevuta = ReceiptVerifier.Verify(raw, options.RegisterCertificate).Ricevuta;
            // "Not found" is a receipt of its own, answering the Richiesta; a stored receipt names the Trasmissione.
            if (ricevuta.IdMessaggio != entry.IdMessaggio)
                return ricevuta.Esito == Esiti.DatiNonTrovati
                    ? null
                    : throw new ReceiptVerificationException($"GetReceipt answered {ricevuta.Esito} for another message.");
            CheckBinding(ricevuta, entry);
            return (raw, ricevuta);
        }, ct);
    }

    private Ricevuta VerifyFor(byte[] raw, JournalEntry entry)
    {
        var ricevuta = ReceiptVerifier.Verify(raw, options.RegisterCertificate).Ricevuta;
        if (ricevuta.IdMessaggio != entry.IdMessaggio)
            throw new ReceiptVerificationException("The receipt answers another message.");
        CheckBinding(ricevuta, entry);
        return ricevuta;
    }

    // A receipt counts for a file only when it names the content that was signed for it.
    private static void CheckBinding(Ricevuta ricevuta, JournalEntry entry)
    {
        if (!string.IsNullOrEmpty(ricevuta.HashFlusso) && ricevuta.HashFlusso != entry.Sha256)
            throw new ReceiptVerificationException("The receipt names a flow digest other than the file's.");
    }

    private Polly.ResiliencePipeline Pipeline(string file) =>
        TransientFaults.Pipeline(options.MaxRetries, options.RetryBaseDelay,
            (attempt, delay, e) => _observer.Retrying(file, attempt, delay, Describe(e)));

    private static string Describe(Exception e) => e switch
    {
        FaultException fault => $"SOAP fault {fault.Code?.Name}",
        RetryableReceiptException => "ERRORE_GENERICO",
        _ => e.GetType().Name,
    };

    private static FileOutcome Received(string file, Ricevuta ricevuta, string receiptPath, FileStatus status) =>
        new(file, status) { NomeFlusso = ricevuta.NomeFlusso, Ricevuta = ricevuta, ReceiptPath = receiptPath };

    private static FileOutcome Failed(string file, string? nome, FailureKind kind, string message) =>
        new(file, FileStatus.Failed) { NomeFlusso = nome, Failure = kind, Message = message };

    private static FileOutcome Unreachable(string file, string? nome, string message) => Failed(file, nome, FailureKind.Unreachable, message);

    private sealed class NullObserver : ISubmissionObserver
    {
        public void Started(int total) { }
        public void FileStarted(string file) { }
        public void Retrying(string file, int attempt, TimeSpan delay, string reason) { }
        public void FileFinished(FileOutcome outcome) { }
    }
}
