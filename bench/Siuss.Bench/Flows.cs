using System.Globalization;
using System.Text;
using System.Xml;
using Siuss.Service.Rules;

namespace Siuss.Bench;

/// <summary>
/// Writes valid PS_PSA_SINA flows the way a body's software exports them: one beneficiary per
/// benefit record, every record a valid one-off benefit with its own natural key.
/// </summary>
public static class Flows
{
    public const string Casellario = "http://inps.it/Casellario";
    private static long _sequence;

    /// <summary>Today's date in the flow-name format.</summary>
    public static string Today => DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>A flow name unique in this run.</summary>
    public static string NewName(string codiceEnte) =>
        $"{codiceEnte}.PS.{Today}.{Interlocked.Increment(ref _sequence):D9}";

    /// <summary>A flow of <paramref name="records"/> one-off benefits.</summary>
    public static byte[] Build(string codiceEnte, string nome, int records, string belfiore = "H501")
    {
        var paid = DateTime.UtcNow.Date.AddDays(-5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var tag = nome[(nome.LastIndexOf('.') + 1)..];
        using var buffer = new MemoryStream(Math.Max(4096, records * 600));
        using (var w = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            w.WriteStartElement("Flusso", Casellario);
            w.WriteStartElement("IdentificazioneFlusso", Casellario);
            w.WriteAttributeString("Nome", nome);
            w.WriteStartElement("Ente", Casellario);
            w.WriteAttributeString("Codice", codiceEnte);
            w.WriteAttributeString("Denominazione", "Comune di prova");
            w.WriteAttributeString("Indirizzo", belfiore);
            w.WriteAttributeString("CFOperatore", "RSSMRA85T10A562S");
            w.WriteEndElement();
            w.WriteEndElement();
            for (int i = 0; i < records; i++)
            {
                w.WriteStartElement("Beneficiario", Casellario);
                w.WriteAttributeString("CodiceFiscale", FiscalCodeFor(i));
                w.WriteStartElement("Anagrafica", Casellario);
                w.WriteAttributeString("Cognome", "Rossi");
                w.WriteAttributeString("Nome", "Maria");
                w.WriteAttributeString("AnnoNascita", "1985");
                w.WriteAttributeString("LuogoNascita", "A562");
                w.WriteAttributeString("Genere", "2");
                w.WriteAttributeString("CodiceCittadinanza", "380");
                w.WriteEndElement();
                w.WriteStartElement("Indirizzo", Casellario);
                w.WriteAttributeString("CodiceRegione", "12");
                w.WriteAttributeString("CodiceComune", "058091");
                w.WriteAttributeString("CodiceNazione", "380");
                w.WriteEndElement();
                w.WriteStartElement("PrestazioniSociali", Casellario);
                w.WriteAttributeString("TipoOperazione", "I");
                w.WriteAttributeString("PresenzaProvaMezzi", "4");
                w.WriteAttributeString("CaratterePrestazione", "2");
                w.WriteAttributeString("CodicePrestazione", "A1.06");
                w.WriteAttributeString("DenominazionePrestazione", "Buoni spesa per emergenza alimentare");
                w.WriteAttributeString("ProtocolloDomanda", $"P{tag}-{i}");
                w.WriteAttributeString("DataErogazionePrestazione", paid);
                w.WriteAttributeString("ImportoPrestazione", "150.00");
                w.WriteAttributeString("PresaCarico", "2");
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        return buffer.ToArray();
    }

    /// <summary>How many records make a flow of about <paramref name="bytes"/> bytes.</summary>
    public static int RecordsForSize(long bytes)
    {
        var probe = Build("H501", "H501.PS.20250101.000000001", 1000);
        var perRecord = (probe.Length - Build("H501", "H501.PS.20250101.000000001", 0).Length) / 1000.0;
        return (int)Math.Max(1, Math.Round(bytes / perRecord));
    }

    /// <summary>A valid personal fiscal code, different for each <paramref name="i"/> (six letters carry the number).</summary>
    public static string FiscalCodeFor(int i)
    {
        Span<char> c = stackalloc char[16];
        int n = i;
        for (int k = 5; k >= 0; k--) { c[k] = (char)('A' + n % 26); n /= 26; }
        "85T10A562".AsSpan().CopyTo(c[6..]);
        c[15] = FiscalCode.PersonalCheckCharacter(c[..15]);
        return new string(c);
    }
}
