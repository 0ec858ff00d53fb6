using System.Security.Cryptography.X509Certificates;
using Siuss.Client.Reconciliation;
using Siuss.Contracts.Documents;
using Siuss.Contracts.Reconciliation;

namespace Siuss.Client.Cli;

/// <summary>The register's side of one period: its digest and counts, and the records when they had to be listed.</summary>
/// <param name="Summary">The Limit 0 answer: digest and counts.</param>
/// <param name="Records">Every record of the period, or null when the period digest matched and nothing was listed.</param>
/// <param name="Consistent">False when the register kept changing while the period was read, even after one more reading.</param>
public sealed record RegisterPeriod(Riconciliazione Summary, IReadOnlyList<VoceRiconciliazione>? Records, bool Consistent);

/// <summary>
/// Reads one period from the register (ReconcileRecords): first the digest alone (Limit 0), which ends the work when it
/// equals the local one; otherwise every page. The listing is accepted when every page carries the starting digest and
/// the active records listed hash to it (so nothing was skipped); otherwise the period is read once more.
/// </summary>
public sealed class RegisterPeriodReader(RegisterClient client, Signer identity, X509Certificate2 registerCertificate, int pageSize)
{
    /// <summary>Reads <paramref name="periodo"/>; <paramref name="localDigest"/> is the body's own period digest.</summary>
    public async Task<RegisterPeriod> ReadAsync(string periodo, string localDigest)
    {
        for (var attempt = 1; ; attempt++)
        {
            var summary = await AskAsync(periodo, 0, 0);
            if (summary.DigestPeriodo == localDigest) return new RegisterPeriod(summary, null, true);

            var records = new List<VoceRiconciliazione>();
            var stable = true;
            long since = 0;
            while (true)
            {
                var page = await AskAsync(periodo, since, pageSize);
                stable &= page.DigestPeriodo == summary.DigestPeriodo;
                records.AddRange(page.Records);
                if (!page.AltriRecord) break;
                if (page.ProssimoCursore <= since)
                    throw new ReceiptVerificationException("The register says more records follow but its cursor does not move forward.");
                since = page.ProssimoCursore;
            }
            var listed = PeriodDigest.Compute(records.Where(r => r.Stato == RecordComparer.Attiva).Select(r =>
                new KeyedDigest(r.CodiceFiscale, r.CodicePrestazione, r.ProtocolloDomanda, DateOnly.FromDateTime(r.DataRiferimento), r.Digest)));
            if (stable && listed == summary.DigestPeriodo) return new RegisterPeriod(summary, records, true);
            if (attempt == 2) return new RegisterPeriod(summary, records, false);
            Console.Error.WriteLine($"{periodo}: the register's records changed while they were read; reading the period again.");
        }
    }

    private async Task<Riconciliazione> AskAsync(string periodo, long since, int limit)
    {
        var richiesta = SignedDocuments.SignReconcileRecords(identity.CodiceEnte, identity.Certificate, periodo, since, limit);
        var answer = RegisterAnswer.Verify<Riconciliazione>(await client.ReconcileRecordsAsync(richiesta), registerCertificate,
            identity.CodiceEnte, RegisterAnswer.RequestId(richiesta), r => r.CodiceEnte, r => r.IdMessaggio);
        if (answer.Periodo != periodo || answer.Since != since)
            throw new ReceiptVerificationException($"The Riconciliazione is for period {answer.Periodo} after cursor {answer.Since}, not {periodo} after {since} as asked.");
        if (answer.Records.Count > limit)
            throw new ReceiptVerificationException($"The Riconciliazione holds {answer.Records.Count} records, more than the {limit} asked.");
        var previous = since;
        foreach (var record in answer.Records)
        {
            if (record.Cursore <= previous)
                throw new ReceiptVerificationException($"The Riconciliazione's cursors are not increasing after {since}.");
            if (RecordKey.PeriodOf(DateOnly.FromDateTime(record.DataRiferimento)) != periodo)
                throw new ReceiptVerificationException($"The Riconciliazione lists a record at cursor {record.Cursore} outside period {periodo}.");
            previous = record.Cursore;
        }
        return answer;
    }
}
