using System.Xml;
using Siuss.Signing;

namespace Siuss.Client.Cli;

/// <summary>Reads what the client needs from a flow file without loading it whole.</summary>
public static class FlowFile
{
    /// <summary>The flow name: <c>IdentificazioneFlusso/@Nome</c>, read with DTDs prohibited; a usage error if absent.</summary>
    public static string ReadName(FileInfo flow)
    {
        using var stream = SignerOptions.Existing(flow).OpenRead();
        try
        {
            using var reader = XmlReader.Create(stream, SafeXml.ReaderSettings(long.MaxValue));
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "IdentificazioneFlusso")
                {
                    var name = reader.GetAttribute("Nome");
                    return string.IsNullOrWhiteSpace(name)
                        ? throw new UsageException($"The flow '{flow.Name}' has an IdentificazioneFlusso without a Nome attribute.")
                        : name;
                }
            }
        }
        catch (XmlException e)
        {
            throw new UsageException(SafeXml.IsDtdRefusal(e)
                ? $"The flow '{flow.Name}' carries a DTD, which is prohibited."
                : $"The flow '{flow.Name}' is not well-formed XML: {e.Message}");
        }
        throw new UsageException($"The flow '{flow.Name}' has no IdentificazioneFlusso element, so its name is unknown.");
    }
}
