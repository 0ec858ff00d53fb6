using Siuss.Client;
using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Siuss.Contracts.Documents;

namespace Siuss.Client.Cli.Commands;

/// <summary>
/// <c>receipts</c>: fetches the body's receipts after the cursor of a local state file, page by page (ListReceipts),
/// verifies each page and each receipt, saves each receipt, and moves the cursor only once a page is on disk.
/// </summary>
public static class ReceiptsCommand
{
    /// <summary>The page size asked for when <c>--limit</c> is not given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var url = CommonOptions.Url();
        var registerCert = CommonOptions.RegisterCert();
        var outDir = new Option<DirectoryInfo>("--out-dir")
        {
            Description = "Folder the receipts are saved in, one file per receipt: {NomeFlusso}.{IdMessaggio}.ricevuta.xml.",
            DefaultValueFactory = _ => new DirectoryInfo("ricevute"),
        };
        var state = new Option<FileInfo?>("--state")
        {
            Description = "The local state file that keeps the cursor (JSON). Default: receipts-state.json in --out-dir.",
        };
        var limit = new Option<int>("--limit")
        {
            Description = "Receipts per page (ListReceipts Limit).",
            DefaultValueFactory = _ => DefaultLimit,
        };
        var signer = new SignerOptions();
        var command = new Command("receipts",
            "Fetch the body's receipts issued since the last run (ListReceipts), verify them, save each one, print a table; the cursor is kept in a local state file.")
        {
            url, registerCert, outDir, state, limit,
        };
        signer.AddTo(command);
        command.SetAction((parse, _) => ClientCommandLine.Guard(async () =>
        {
            var endpoint = CommonOptions.Endpoint(parse.GetRequiredValue(url));
            var pageSize = parse.GetValue(limit);
            if (pageSize < 1) throw new UsageException("--limit must be at least 1.");
            var identity = signer.Load(parse);
            var archive = new ReceiptArchive(parse.GetRequiredValue(outDir));
            var stateFile = parse.GetValue(state) ?? new FileInfo(Path.Combine(archive.Folder.FullName, "receipts-state.json"));
            try
            {
                // A run killed inside a write leaves a hidden temporary file; the final names are never partial.
                AtomicFile.DeleteLeftovers(archive.Folder.FullName);
                AtomicFile.DeleteLeftovers(stateFile.DirectoryName!);
                var cursor = ReceiptCursorState.Load(stateFile, identity.CodiceEnte);
                if (cursor.Registro is { } registro && registro != endpoint.ToString())
                    Console.Error.WriteLine($"warning: the state file's cursor was read from {registro}; cursors belong to one register.");
                var certificate = await RegisterCertificate.LoadAsync(parse.GetValue(registerCert), endpoint);
                await FetchAsync(endpoint, identity, certificate, archive, cursor, stateFile, pageSize);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"Cannot write the receipts or the state file: {e.Message}");
            }
        }));
        return command;
    }

    private static async Task FetchAsync(Uri endpoint, Signer identity, X509Certificate2 registerCertificate, ReceiptArchive archive,
        ReceiptCursorState cursor, FileInfo stateFile, int limit)
    {
        Console.WriteLine($"Receipts of {identity.CodiceEnte} after cursor {cursor.Cursore} (state {stateFile.FullName}), saved in {archive.Folder.FullName}");
        Console.WriteLine($"{"Cursore",10}  {"Esito",-18}  {"IdAcquisizione",-36}  {"NomeFlusso",-30}  File");
        int saved = 0, alreadySaved = 0, refused = 0;
        await using var client = new RegisterClient(endpoint);
        while (true)
        {
            var richiesta = SignedDocuments.SignListReceipts(identity.CodiceEnte, identity.Certificate, cursor.Cursore, limit);
            var page = RegisterAnswer.Verify<ElencoRicevute>(await client.ListReceiptsAsync(richiesta), registerCertificate,
                identity.CodiceEnte, RegisterAnswer.RequestId(richiesta), e => e.CodiceEnte, e => e.IdMessaggio);
            CheckPage(page, cursor.Cursore, limit);

            // Every receipt of the page is verified before any is saved, and saved before the cursor moves:
            // a crash anywhere leaves the cursor at or before the first unsaved receipt.
            var receipts = page.Ricevute.Select(entry => (Entry: entry, Receipt: VerifyEntry(entry, registerCertificate, identity.CodiceEnte))).ToList();
            foreach (var (entry, receipt) in receipts)
            {
                var (outcome, path) = archive.Save(receipt, entry.RicevutaFirmata);
                if (outcome == ArchiveOutcome.Saved) saved++; else alreadySaved++;
                if (receipt.Esito != Contracts.Esiti.Ok) refused++;
                var note = outcome == ArchiveOutcome.Saved ? "" : " (already saved)";
                Console.WriteLine($"{entry.Cursore,10}  {receipt.Esito,-18}  {Dash(receipt.IdAcquisizione),-36}  {Dash(receipt.NomeFlusso),-30}  {Path.GetFileName(path)}{note}");
            }
            if (page.ProssimoCursore != cursor.Cursore)
            {
                cursor.Cursore = page.ProssimoCursore;
                cursor.Registro = endpoint.ToString();
                cursor.Aggiornato = DateTime.UtcNow;
                cursor.Save(stateFile);
            }
            if (!page.AltreRicevute) break;
        }
        Console.WriteLine($"Receipts: {saved} new, {alreadySaved} already saved, {refused} with a refusal; cursor {cursor.Cursore.ToString(CultureInfo.InvariantCulture)} kept in {stateFile.FullName}");
    }

    /// <summary>A page must continue from the cursor asked, in increasing cursor order, within the limit, and move forward when it says more follow.</summary>
    private static void CheckPage(ElencoRicevute page, long since, int limit)
    {
        if (page.Since != since)
            throw new ReceiptVerificationException($"The page starts after cursor {page.Since}, not {since} as asked.");
        if (page.Ricevute.Count > limit)
            throw new ReceiptVerificationException($"The page holds {page.Ricevute.Count} receipts, more than the {limit} asked.");
        var previous = since;
        foreach (var entry in page.Ricevute)
        {
            if (entry.Cursore <= previous)
                throw new ReceiptVerificationException($"The page's cursors are not increasing after {since} ({entry.Cursore} after {previous}).");
            previous = entry.Cursore;
        }
        if (page.ProssimoCursore < previous)
            throw new ReceiptVerificationException($"The next cursor {page.ProssimoCursore} is before the page's last receipt ({previous}).");
        if (page.AltreRicevute && page.ProssimoCursore <= since)
            throw new ReceiptVerificationException("The register says more receipts follow but its cursor does not move forward.");
    }

    /// <summary>Verifies an embedded receipt on its own (it keeps the register's signature) and that it is the one the entry describes.</summary>
    private static Ricevuta VerifyEntry(VoceRicevuta entry, X509Certificate2 registerCertificate, string codiceEnte)
    {
        var receipt = ReceiptVerifier.Verify(entry.RicevutaFirmata, registerCertificate).Ricevuta;
        if (receipt.CodiceEnte != codiceEnte || receipt.IdMessaggio != entry.IdMessaggio)
            throw new ReceiptVerificationException($"The receipt at cursor {entry.Cursore} is not the one listed (body {receipt.CodiceEnte}, IdMessaggio {receipt.IdMessaggio}).");
        return receipt;
    }

    private static string Dash(string? value) => string.IsNullOrEmpty(value) ? "-" : value;
}
