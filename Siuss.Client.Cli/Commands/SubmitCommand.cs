using System.CommandLine;

namespace Siuss.Client.Cli.Commands;

/// <summary><c>submit</c>: sends a flow with its signed Trasmissione, saves and verifies the receipt, prints a summary.</summary>
public static class SubmitCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var url = CommonOptions.Url();
        var flow = new Option<FileInfo>("--flow") { Description = "The flow file, exactly as exported.", Required = true };
        var trasmissione = new Option<FileInfo?>("--trasmissione") { Description = "The Trasmissione signed by 'siuss-client sign'. Or give --ente with --cert/--key or --pfx to sign now." };
        var tipo = CommonOptions.Tipo();
        var registerCert = CommonOptions.RegisterCert();
        var output = CommonOptions.Out("ricevuta.xml", "Where to save the register's signed receipt.");
        var signer = new SignerOptions();
        var command = new Command("submit", "Submit a flow to the register (SubmitFlow), save its signed receipt, verify it and print a summary.")
        {
            url, flow, trasmissione, tipo, registerCert, output,
        };
        signer.AddTo(command);
        command.SetAction((parse, _) => ClientCommandLine.Guard(async () =>
        {
            var endpoint = CommonOptions.Endpoint(parse.GetRequiredValue(url));
            var flowFile = SignerOptions.Existing(parse.GetRequiredValue(flow));
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
                header = SignCommand.Sign(flowFile, flowBytes, signer.Load(parse), parse.GetRequiredValue(tipo));
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
            return await ReceiptOutput.SaveVerifyPrintAsync(receipt, parse.GetRequiredValue(output), pinned, endpoint);
        }));
        return command;
    }
}
