using System.Security.Cryptography.X509Certificates;

namespace Siuss.Client.Cli;

/// <summary>What every verb that receives a receipt does with it: save, verify, summarise.</summary>
public static class ReceiptOutput
{
    /// <summary>Saves the raw receipt (the legal evidence) first, then verifies it against the register's certificate and prints it.</summary>
    public static async Task<int> SaveVerifyPrintAsync(byte[] receipt, FileInfo target, X509Certificate2? pinned, Uri endpoint)
    {
        await File.WriteAllBytesAsync(target.FullName, receipt);
        Console.WriteLine($"Receipt saved to {target.FullName}");
        var registerCertificate = pinned ?? await RegisterCertificate.LoadAsync(null, endpoint);
        var verified = ReceiptVerifier.Verify(receipt, registerCertificate);
        ReceiptPrinter.Print(verified);
        return ExitCodes.ForEsito(verified.Ricevuta.Esito);
    }
}
