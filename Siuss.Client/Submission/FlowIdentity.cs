using System.Xml;
using Siuss.Contracts.Documents;
using Siuss.Signing;

namespace Siuss.Client.Submission;

/// <summary>What a flow file says about itself: its name (<c>IdentificazioneFlusso/@Nome</c>) and, from its first record, its type.</summary>
public sealed record FlowIdentity(string Nome, string? TipoFlusso)
{
    /// <summary>Reads the name and type without loading the file whole, with DTDs prohibited; <see cref="FlowFileException"/> when unusable.</summary>
    public static FlowIdentity Read(string path)
    {
        var fileName = Path.GetFileName(path);
        using var stream = File.OpenRead(path);
        string? nome = null;
        try
        {
            using var reader = XmlReader.Create(stream, SafeXml.ReaderSettings(long.MaxValue));
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                if (nome is null && reader.LocalName == "IdentificazioneFlusso")
                {
                    nome = reader.GetAttribute("Nome");
                    if (string.IsNullOrWhiteSpace(nome))
                        throw new FlowFileException($"The flow '{fileName}' has an IdentificazioneFlusso without a Nome attribute.");
                    reader.Skip();
                    // Skip() leaves the reader on the next node, which may already be the first record.
                    if (reader.NodeType == XmlNodeType.Element) return new FlowIdentity(nome, TypeOf(reader.LocalName));
                }
                else if (nome is not null && reader.Depth == 1)
                {
                    return new FlowIdentity(nome, TypeOf(reader.LocalName));
                }
            }
        }
        catch (XmlException e)
        {
            throw new FlowFileException(SafeXml.IsDtdRefusal(e)
                ? $"The flow '{fileName}' carries a DTD, which is prohibited."
                : $"The flow '{fileName}' is not well-formed XML: {e.Message}");
        }
        return nome is null
            ? throw new FlowFileException($"The flow '{fileName}' has no IdentificazioneFlusso element, so its name is unknown.")
            : new FlowIdentity(nome, null);
    }

    // The two official layouts share root and namespace; the first record tells them apart.
    private static string? TypeOf(string firstRecord) => firstRecord switch
    {
        "SINBA" => TipiFlusso.Sinba,
        "Beneficiario" => TipiFlusso.PsPsaSina,
        _ => null,
    };
}

/// <summary>A flow file that cannot be named or read (not XML, a DTD, no <c>IdentificazioneFlusso/@Nome</c>).</summary>
public sealed class FlowFileException(string message) : Exception(message);
