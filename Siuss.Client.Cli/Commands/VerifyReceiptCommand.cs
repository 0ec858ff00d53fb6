using System.CommandLine;

namespace Siuss.Client.Cli.Commands;

/// <summary><c>verify-receipt</c>: checks offline that a saved receipt was signed by the register.</summary>
public static class VerifyReceiptCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var receipt = new Option<FileInfo>("--receipt") { Description = "The saved receipt (ricevuta.xml).", Required = true };
        var registerCert = new Option<FileInfo>("--register-cert") { Description = "The register's receipt certificate (PEM or DER).", Required = true };
        var command = new Command("verify-receipt", "Verify that a saved receipt is signed by the register's certificate; print its summary.")
        {
            receipt, registerCert,
        };
        command.SetAction((parse, _) => ClientCommandLine.Guard(async () =>
        {
            var certificate = RegisterCertificate.FromFile(parse.GetRequiredValue(registerCert));
            var bytes = await File.ReadAllBytesAsync(SignerOptions.Existing(parse.GetRequiredValue(receipt)).FullName);
            VerifiedReceipt verified;
            try
            {
                verified = ReceiptVerifier.Verify(bytes, certificate);
            }
            catch (Exception e) when (e is ReceiptVerificationException or InvalidOperationException)
            {
                Console.Error.WriteLine($"The receipt does NOT verify: {e.Message}");
                return ExitCodes.Refused;
            }
            Console.WriteLine("The receipt verifies: it is signed by the register's certificate.");
            ReceiptPrinter.Print(verified);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
