using System.Globalization;
using Siuss.Contracts;
using Siuss.Contracts.Documents;

namespace Siuss.Client.Cli;

/// <summary>Prints a verified receipt as a short, readable summary.</summary>
public static class ReceiptPrinter
{
    /// <summary>Writes the outcome, ids, counts, and every error with its code, field and record number.</summary>
    public static void Print(VerifiedReceipt receipt, TextWriter? output = null)
    {
        var o = output ?? Console.Out;
        var r = receipt.Ricevuta;
        o.WriteLine($"Esito: {r.Esito}");
        o.WriteLine($"IdAcquisizione: {(string.IsNullOrEmpty(r.IdAcquisizione) ? "-" : r.IdAcquisizione)}");
        o.WriteLine($"CodiceEnte: {r.CodiceEnte}");
        if (!string.IsNullOrEmpty(r.NomeFlusso)) o.WriteLine($"NomeFlusso: {r.NomeFlusso} ({r.TipoFlusso})");
        o.WriteLine($"IdMessaggio: {r.IdMessaggio}");
        o.WriteLine($"DataOraRicezione: {r.DataOraRicezione.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
        o.WriteLine($"Record: {r.Riepilogo.Totali} totali, {r.Riepilogo.Validi} validi, {r.Riepilogo.Scartati} scartati, {r.Riepilogo.Tardivi} tardivi{(r.Riepilogo.Avvertiti > 0 ? $", {r.Riepilogo.Avvertiti} con avvertenze" : "")}");
        foreach (var error in r.ErroriFlusso)
            o.WriteLine($"Errore flusso {Describe(error)}");
        foreach (var record in r.EsitiRecord.Where(x => x.Esito != Esiti.Ok || x.Errori.Count > 0 || x.Avvertenze.Count > 0))
        {
            o.WriteLine($"Record {record.Progressivo} ({record.Operazione} {record.CodicePrestazione} {record.ProtocolloDomanda}): {record.Esito}");
            foreach (var error in record.Errori)
                o.WriteLine($"  Errore record {record.Progressivo} {Describe(error)}");
            foreach (var warning in record.Avvertenze)
                o.WriteLine($"  Avvertenza record {record.Progressivo} {Describe(warning)}");
        }
        o.WriteLine($"Signed by the register: {receipt.Signer.Subject} (SHA-256 {RegisterCertificate.Thumbprint(receipt.Signer)})");
    }

    private static string Describe(Errore error) =>
        string.IsNullOrEmpty(error.Campo) ? $"{error.Codice}: {error.Messaggio}" : $"{error.Codice} [{error.Campo}]: {error.Messaggio}";
}
