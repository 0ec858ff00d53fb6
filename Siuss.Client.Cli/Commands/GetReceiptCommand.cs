using System.CommandLine;

namespace Siuss.Client.Cli.Commands;

/// <summary><c>get-receipt</c>: fetches a receipt the register already issued to this body, with a signed Richiesta.</summary>
public static class GetReceiptCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var url = CommonOptions.Url();
        var idAcquisizione = new Option<string?>("--id-acquisizione") { Description = "The acquisition id printed by 'submit'." };
        var idMessaggio = new Option<string?>("--id-messaggio") { Description = "Or: the IdMessaggio of the submission's Trasmissione." };
        var registerCert = CommonOptions.RegisterCert();
        var output = CommonOptions.Out("ricevuta.xml", "Where to save the receipt.");
        var signer = new SignerOptions();
        var command = new Command("get-receipt", "Fetch a stored receipt (GetReceipt) by acquisition id or by IdMessaggio, verify it and print a summary.")
        {
            url, idAcquisizione, idMessaggio, registerCert, output,
        };
        signer.AddTo(command);
        command.SetAction((parse, _) => ClientCommandLine.Guard(async () =>
        {
            var endpoint = CommonOptions.Endpoint(parse.GetRequiredValue(url));
            var target = CommonOptions.OutTarget(parse, output);
            var byAcquisition = parse.GetValue(idAcquisizione)?.Trim();
            var byMessage = parse.GetValue(idMessaggio)?.Trim();
            if (string.IsNullOrEmpty(byAcquisition) == string.IsNullOrEmpty(byMessage))
                throw new UsageException("Give exactly one of --id-acquisizione and --id-messaggio.");
            var identity = signer.Load(parse);
            var pinned = parse.GetValue(registerCert) is { } pinnedFile ? RegisterCertificate.FromFile(pinnedFile) : null;

            var richiesta = SignedDocuments.SignGetReceipt(identity.CodiceEnte, identity.Certificate,
                idAcquisizione: string.IsNullOrEmpty(byAcquisition) ? null : byAcquisition,
                idMessaggioTrasmissione: string.IsNullOrEmpty(byMessage) ? null : byMessage);
            byte[] receipt;
            await using (var client = new RegisterClient(endpoint))
                receipt = await client.GetReceiptAsync(richiesta);
            return await ReceiptOutput.SaveVerifyPrintAsync(receipt, target, pinned, endpoint);
        }));
        return command;
    }
}
