using System.CommandLine;
using Siuss.Client.Cli.Folder;
using Siuss.Client.Submission;

namespace Siuss.Client.Cli.Commands;

/// <summary><c>submit</c>: sends one flow (<c>--flow</c>) or every flow of a folder (<c>--folder</c>, resumable), saves and verifies the receipts.</summary>
public static class SubmitCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var url = CommonOptions.Url();
        var flow = new Option<FileInfo?>("--flow") { Description = "One flow file, exactly as exported." };
        var folder = new Option<DirectoryInfo?>("--folder")
        {
            Description = "Or: a folder of flow files (*.xml). Resumable: its state is kept in <folder>/.siuss, each receipt is saved beside its flow as <name>.ricevuta.xml, and a file already acknowledged is not sent again.",
        };
        var trasmissione = new Option<FileInfo?>("--trasmissione") { Description = "With --flow: the Trasmissione signed by 'siuss-client sign'. Or give --ente with --cert/--key or --pfx to sign now." };
        var tipo = CommonOptions.Tipo();
        var registerCert = CommonOptions.RegisterCert();
        var output = CommonOptions.Out("ricevuta.xml", "With --flow: where to save the register's signed receipt.");
        var parallel = new Option<int>("--parallel") { Description = "With --folder: files sent at once (1-16).", DefaultValueFactory = _ => 2 };
        var retries = new Option<int>("--retries") { Description = "Retries of a transient failure (unreachable, ServerBusy, RateLimited, ERRORE_GENERICO) per call, with exponential backoff (0-10).", DefaultValueFactory = _ => 4 };
        var plain = new Option<bool>("--plain") { Description = "With --folder: plain lines instead of the live progress bar (automatic when the output is redirected)." };
        var signer = new SignerOptions();
        var command = new Command("submit", "Submit a flow, or every flow of a folder, to the register (SubmitFlow); save the signed receipts, verify them and print a summary.")
        {
            url, flow, folder, trasmissione, tipo, registerCert, output, parallel, retries, plain,
        };
        signer.AddTo(command);
        command.SetAction((parse, _) => ClientCommandLine.Guard(async () =>
        {
            var endpoint = CommonOptions.Endpoint(parse.GetRequiredValue(url));
            var folderDirectory = parse.GetValue(folder);
            var flowFile = parse.GetValue(flow);
            if ((folderDirectory is null) == (flowFile is null))
                throw new UsageException("Give exactly one of --flow (one file) and --folder (a folder of flow files).");
            if (folderDirectory is not null)
            {
                if (parse.GetValue(trasmissione) is not null)
                    throw new UsageException("--trasmissione goes with --flow; with --folder each file is signed here (give --ente with --cert/--key or --pfx).");
                if (parse.GetResult(output) is { Implicit: false })
                    throw new UsageException("--out goes with --flow; with --folder each receipt is saved beside its flow as <name>.ricevuta.xml.");
                if (!signer.AnyGiven(parse))
                    throw new UsageException("--folder signs each file: give --ente with --cert/--key or --pfx.");
                var parallelism = parse.GetValue(parallel);
                if (parallelism is < 1 or > 16) throw new UsageException("--parallel must be between 1 and 16.");
                var maxRetries = parse.GetValue(retries);
                if (maxRetries is < 0 or > 10) throw new UsageException("--retries must be between 0 and 10.");
                var identity = signer.Load(parse);
                var registerCertificate = await RegisterCertificate.LoadAsync(parse.GetValue(registerCert), endpoint);
                var options = new FolderSubmissionOptions
                {
                    Endpoint = endpoint,
                    CodiceEnte = identity.CodiceEnte,
                    Signer = identity.Certificate,
                    RegisterCertificate = registerCertificate,
                    // An explicit --tipo applies to every file; otherwise each file's first record says (SINBA or Beneficiario).
                    TipoFlusso = parse.GetValue(tipo),
                    Parallelism = parallelism,
                    MaxRetries = maxRetries,
                };
                return await FolderSubmitRunner.RunAsync(folderDirectory, options, parse.GetValue(plain));
            }
            return await SubmitOneAsync(parse, endpoint, SignerOptions.Existing(flowFile!), trasmissione, signer, tipo, registerCert, output);
        }));
        return command;
    }

    private static async Task<int> SubmitOneAsync(ParseResult parse, Uri endpoint, FileInfo flowFile, Option<FileInfo?> trasmissione,
        SignerOptions signer, Option<string?> tipo, Option<FileInfo?> registerCert, Option<FileInfo> output)
    {
        var target = CommonOptions.OutTarget(parse, output);
        var flowBytes = await File.ReadAllBytesAsync(flowFile.FullName);
        byte[] header;
        if (parse.GetValue(trasmissione) is { } signedFile)
        {
            if (signer.AnyGiven(parse))
                throw new UsageException("Give either --trasmissione or the signing options (--ente, --cert/--key, --pfx), not both.");
            header = await File.ReadAllBytesAsync(SignerOptions.Existing(signedFile).FullName);
        }
        else if (signer.AnyGiven(parse))
        {
            header = SignCommand.Sign(flowFile, flowBytes, signer.Load(parse), parse.GetValue(tipo));
        }
        else
        {
            throw new UsageException("Give --trasmissione (from 'siuss-client sign'), or --ente with --cert/--key or --pfx to sign now.");
        }
        // A pinned certificate is loaded before sending, so a bad file is found before the flow is submitted.
        var pinned = parse.GetValue(registerCert) is { } pinnedFile ? RegisterCertificate.FromFile(pinnedFile) : null;

        Console.WriteLine($"Submitting {flowFile.Name} ({flowBytes.LongLength} bytes) to {endpoint}");
        byte[] receipt;
        await using (var client = new RegisterClient(endpoint))
            receipt = await client.SubmitAsync(header, flowBytes);
        return await ReceiptOutput.SaveVerifyPrintAsync(receipt, target, pinned, endpoint);
    }
}
