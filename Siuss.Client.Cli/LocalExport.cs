using Siuss.Client.Reconciliation;

namespace Siuss.Client.Cli;

/// <summary>Loads <c>--local</c>: a CSV export (<c>.csv</c>), a folder of the flow files sent, or one flow file.</summary>
public static class LocalExport
{
    /// <summary>The body's records as the export says; an unreadable export is a usage error naming the place.</summary>
    public static LocalRecordSet Load(string path)
    {
        var records = new LocalRecordSet();
        try
        {
            if (Directory.Exists(path)) FlowFolderRecords.ReadFolder(path, records);
            else if (!File.Exists(path)) throw new UsageException($"--local '{Path.GetFullPath(path)}' is neither a file nor a folder.");
            else if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) CsvRecordContents.Read(path, records);
            else FlowFolderRecords.ReadFile(path, records);
        }
        catch (LocalExportException e)
        {
            throw new UsageException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read --local '{path}': {e.Message}");
        }
        return records;
    }
}
