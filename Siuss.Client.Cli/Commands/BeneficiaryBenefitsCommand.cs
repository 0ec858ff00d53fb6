using System.CommandLine;
using System.Globalization;
using Siuss.Contracts.Documents;

namespace Siuss.Client.Cli.Commands;

/// <summary><c>beneficiary-benefits</c>: a consulting body reads one person's benefits across every paying body (the register audits the read).</summary>
public static class BeneficiaryBenefitsCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var url = CommonOptions.Url();
        var codiceFiscale = new Option<string>("--codice-fiscale") { Description = "The person's fiscal code.", Required = true };
        var registerCert = CommonOptions.RegisterCert();
        var output = CommonOptions.Out("prestazioni-beneficiario.xml", "Where to save the register's signed answer.");
        var signer = new SignerOptions();
        var command = new Command("beneficiary-benefits",
            "Consulting bodies only: fetch one person's benefits from every paying body (GetBeneficiaryBenefits), verify the register's signature and print them. Every call is audited by the register.")
        {
            url, codiceFiscale, registerCert, output,
        };
        signer.AddTo(command);
        command.SetAction((parse, _) => ClientCommandLine.Guard(async () =>
        {
            var endpoint = CommonOptions.Endpoint(parse.GetRequiredValue(url));
            var identity = signer.Load(parse);
            var pinned = parse.GetValue(registerCert) is { } pinnedFile ? RegisterCertificate.FromFile(pinnedFile) : null;

            var richiesta = SignedDocuments.SignGetBeneficiaryBenefits(identity.CodiceEnte, identity.Certificate, parse.GetRequiredValue(codiceFiscale).Trim());
            byte[] answer;
            await using (var client = new RegisterClient(endpoint))
                answer = await client.GetBeneficiaryBenefitsAsync(richiesta);
            var target = CommonOptions.OutTarget(parse, output);
            await File.WriteAllBytesAsync(target.FullName, answer);
            Console.WriteLine($"Answer saved to {target.FullName}");
            var verified = ReceiptVerifier.VerifyDocument<PrestazioniBeneficiario>(answer, pinned ?? await RegisterCertificate.LoadAsync(null, endpoint));
            Print(verified);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(PrestazioniBeneficiario answer)
    {
        Console.WriteLine($"Signature verified. {answer.CodiceFiscale}: {answer.Prestazioni.Count} benefit record(s) from " +
                          $"{answer.Prestazioni.Select(p => p.CodiceEnte).Distinct().Count()} paying body(ies); answered {answer.DataOra:u}, correlation {answer.IdCorrelazione}.");
        foreach (var p in answer.Prestazioni)
        {
            var amount = p.ImportoPrestazioneSpecified ? p.ImportoPrestazione.ToString("0.00", CultureInfo.InvariantCulture)
                : p.ImportoMensileSpecified ? p.ImportoMensile.ToString("0.00", CultureInfo.InvariantCulture) + "/month" : "";
            Console.WriteLine($"  {p.CodiceEnte}\t{p.DenominazioneEnte}\t{p.CodicePrestazione}\t{p.ProtocolloDomanda}\t{p.DataRiferimento:yyyy-MM-dd}\t{p.Stato}\t{amount}");
        }
    }
}
