using Siuss.Client.Submission;

namespace Siuss.Client.Cli;

/// <summary>Reads what the client needs from a flow file without loading it whole.</summary>
public static class FlowFile
{
    /// <summary>The flow name: <c>IdentificazioneFlusso/@Nome</c>, read with DTDs prohibited; a usage error if absent.</summary>
    public static string ReadName(FileInfo flow)
    {
        try
        {
            return FlowIdentity.Read(SignerOptions.Existing(flow).FullName).Nome;
        }
        catch (FlowFileException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
