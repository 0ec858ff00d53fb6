using System.Xml;
using Siuss.Contracts;
using Siuss.Contracts.Documents;
using Siuss.Service.Flows;
using Siuss.Signing;

namespace Siuss.Service.Submission;

/// <summary>
/// A flow handed in through the web channel by a logged-in operator: the body comes from the operator's account,
/// not from a signature, so the account and the login session are the evidence the receipt carries (<see cref="Canale"/>).
/// </summary>
public sealed record WebUpload(string CodiceEnte, string IdUtente, string IdSessione)
{
    /// <summary>The receipt's channel element for this upload.</summary>
    public Canale Canale => new() { Tipo = Canale.Web, IdUtente = IdUtente, IdSessione = IdSessione };
}

/// <summary>
/// What a Trasmissione would have said about a flow, read from the flow itself: the web channel has no signed header, so
/// the type and name come from the file (the ingestor then checks them like any other flow's).
/// </summary>
internal static class FlowHeaderPeek
{
    /// <summary>
    /// The flow type (SINBA when its first record is a <c>SINBA</c> element, else PS_PSA_SINA) and <c>IdentificazioneFlusso/@Nome</c>.
    /// Reads only up to the first record; a file that is not XML gets PS_PSA_SINA and an empty name, and the ingestor's
    /// reading then reports what is wrong with it.
    /// </summary>
    public static (string TipoFlusso, string NomeFlusso) Read(ReceivedFlow flow, long maxCharacters)
    {
        string nome = "";
        try
        {
            using var stream = flow.OpenRead();
            using var reader = XmlReader.Create(stream, SafeXml.ReaderSettings(maxCharacters));
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                switch (reader.LocalName)
                {
                    case "Flusso" or "Ente":
                        continue;
                    case "IdentificazioneFlusso":
                        nome = reader.GetAttribute("Nome") ?? "";
                        continue;
                    case "SINBA" when reader.NamespaceURI == Namespaces.Casellario:
                        return (TipiFlusso.Sinba, nome);
                    default:
                        return (TipiFlusso.PsPsaSina, nome);
                }
            }
        }
        catch (XmlException)
        {
            // Reported by the ingestor, with the receipt's code for it.
        }
        return (TipiFlusso.PsPsaSina, nome);
    }
}
