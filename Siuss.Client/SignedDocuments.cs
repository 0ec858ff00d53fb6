using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using System.Xml.Serialization;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Signing;

namespace Siuss.Client;

/// <summary>Builds the signed documents a paying body sends: a <c>Trasmissione</c> for a flow file, a <c>Richiesta</c> for a query.</summary>
public static class SignedDocuments
{
    /// <summary>Names a flow file in a Trasmissione (digest and size computed from the bytes) and signs it.</summary>
    public static byte[] SignTrasmissione(byte[] flow, string codiceEnte, string nomeFlusso, X509Certificate2 signer,
        string tipoFlusso = TipiFlusso.PsPsaSina, Guid? idMessaggio = null, DateTime? dataOraUtc = null)
    {
        var header = new Trasmissione
        {
            IdMessaggio = (idMessaggio ?? Guid.NewGuid()).ToString(),
            DataOra = DateTime.SpecifyKind(TruncateToSeconds(dataOraUtc ?? DateTime.UtcNow), DateTimeKind.Utc),
            CodiceEnte = codiceEnte,
            TipoFlusso = tipoFlusso,
            NomeFlusso = nomeFlusso,
            HashFlusso = Convert.ToHexStringLower(SHA256.HashData(flow)),
            DimensioneFlusso = flow.LongLength,
        };
        return Sign(header, signer);
    }

    /// <summary>Signs a GetReceipt request for a receipt, by acquisition id or by the submission's IdMessaggio.</summary>
    public static byte[] SignGetReceipt(string codiceEnte, X509Certificate2 signer, string? idAcquisizione = null,
        string? idMessaggioTrasmissione = null, DateTime? dataOraUtc = null)
    {
        var request = NewRichiesta(codiceEnte, Operazioni.GetReceipt, dataOraUtc);
        request.IdAcquisizione = idAcquisizione;
        request.IdMessaggioTrasmissione = idMessaggioTrasmissione;
        return Sign(request, signer);
    }

    /// <summary>Signs a GetRecordHistory request for one person's records, optionally narrowed to a benefit code and an application.</summary>
    public static byte[] SignGetRecordHistory(string codiceEnte, X509Certificate2 signer, string codiceFiscale,
        string? codicePrestazione = null, string? protocolloDomanda = null, DateTime? dataOraUtc = null)
    {
        var request = NewRichiesta(codiceEnte, Operazioni.GetRecordHistory, dataOraUtc);
        request.CodiceFiscale = codiceFiscale;
        request.CodicePrestazione = codicePrestazione;
        request.ProtocolloDomanda = protocolloDomanda;
        return Sign(request, signer);
    }

    /// <summary>Signs a GetBeneficiaryBenefits request (consulting bodies only): one person's benefits across every paying body.</summary>
    public static byte[] SignGetBeneficiaryBenefits(string codiceEnte, X509Certificate2 signer, string codiceFiscale,
        Guid? idMessaggio = null, DateTime? dataOraUtc = null)
    {
        var request = NewRichiesta(codiceEnte, Operazioni.GetBeneficiaryBenefits, dataOraUtc, idMessaggio);
        request.CodiceFiscale = codiceFiscale;
        return Sign(request, signer);
    }

    /// <summary>Signs a ListReceipts request: the body's receipts after cursor <paramref name="since"/>, at most <paramref name="limit"/> (register default when null).</summary>
    public static byte[] SignListReceipts(string codiceEnte, X509Certificate2 signer, long since = 0, int? limit = null, DateTime? dataOraUtc = null)
    {
        var request = NewRichiesta(codiceEnte, Operazioni.ListReceipts, dataOraUtc);
        request.Since = since;
        request.SinceSpecified = true;
        request.Limit = limit ?? 0;
        request.LimitSpecified = limit is not null;
        return Sign(request, signer);
    }

    /// <summary>
    /// Signs a ReconcileRecords request for the month <paramref name="periodo"/> (<c>yyyy-MM</c>): records after cursor
    /// <paramref name="since"/>, at most <paramref name="limit"/> (register default when null; 0 = period digest and counts only).
    /// </summary>
    public static byte[] SignReconcileRecords(string codiceEnte, X509Certificate2 signer, string periodo, long since = 0, int? limit = null,
        DateTime? dataOraUtc = null)
    {
        var request = NewRichiesta(codiceEnte, Operazioni.ReconcileRecords, dataOraUtc);
        request.Periodo = periodo;
        request.Since = since;
        request.SinceSpecified = true;
        request.Limit = limit ?? 0;
        request.LimitSpecified = limit is not null;
        return Sign(request, signer);
    }

    private static Richiesta NewRichiesta(string codiceEnte, string operazione, DateTime? dataOraUtc, Guid? idMessaggio = null) => new()
    {
        IdMessaggio = (idMessaggio ?? Guid.NewGuid()).ToString(),
        DataOra = DateTime.SpecifyKind(TruncateToSeconds(dataOraUtc ?? DateTime.UtcNow), DateTimeKind.Utc),
        CodiceEnte = codiceEnte,
        Operazione = operazione,
    };

    /// <summary>Serialises a document in the documents namespace and signs it with the profile's enveloped signature.</summary>
    public static byte[] Sign<T>(T document, X509Certificate2 signer)
    {
        return XmlDocumentSigner.SignToBytes(ToXml(document), signer);
    }

    /// <summary>Serialises a document into a DOM (unsigned), in the documents namespace.</summary>
    public static XmlDocument ToXml<T>(T document)
    {
        var xml = new XmlDocument { PreserveWhitespace = true };
        var prefixes = new XmlSerializerNamespaces();
        prefixes.Add("", Namespaces.Documents);
        using (var writer = xml.CreateNavigator()!.AppendChild())
        {
            new XmlSerializer(typeof(T)).Serialize(writer, document, prefixes);
        }
        return xml;
    }

    private static DateTime TruncateToSeconds(DateTime value) => new(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Kind);
}
