using Siuss.Client.Submission;

namespace Siuss.Client.Cli;

/// <summary>Reads what the client needs from a flow file without loading it whole.</summary>
public static class FlowFile
{
    /// <summary>
    /// The flow name (<c>IdentificazioneFlusso/@Nome</c>) and its type as the first record shows it (null when it has
    /// none), read with DTDs prohibited; a usage error if the name is absent. The same reading as <c>submit --folder</c>.
    /// </summary>
    public static FlowIdentity ReadIdentity(FileInfo flow)
    {
        try
        {
            return FlowIdentity.Read(SignerOptions.Existing(flow).FullName);
        }
        catch (FlowFileException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
