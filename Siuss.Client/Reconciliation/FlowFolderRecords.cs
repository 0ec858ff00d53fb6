using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using Siuss.Signing;

namespace Siuss.Client.Reconciliation;

/// <summary>
/// Reads the PS_PSA_SINA flow files a body sent (a folder, or one file) into a <see cref="LocalRecordSet"/>:
/// flows in the order they were sent, by the date and progressive of their names
/// (<c>{Ente}.{PS|PSA|SINA}.{yyyyMMdd}.{progressive}</c>), records in file order, each I and C applied in turn.
/// </summary>
public static partial class FlowFolderRecords
{
    /// <summary>Reads every <c>*.xml</c> file of <paramref name="folder"/> (not its subfolders).</summary>
    public static void ReadFolder(string folder, LocalRecordSet records)
    {
        // Receipts saved beside the flows (*.ricevuta.xml) and other XML files are not flows: only Casellario Flusso roots count.
        var flows = Directory.EnumerateFiles(folder, "*.xml", SearchOption.TopDirectoryOnly)
            .Select(path => (Path: path, Name: FlowName(path)))
            .Where(f => f.Name is not null)
            .Select(f => (f.Path, Name: f.Name!))
            .OrderBy(f => SendingOrder(f.Name))
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        if (flows.Count == 0) throw new LocalExportException($"{folder} holds no *.xml flow file.");
        foreach (var flow in flows) ReadFile(flow.Path, records);
    }

    /// <summary>Reads one flow file.</summary>
    public static void ReadFile(string path, LocalRecordSet records)
    {
        var file = Path.GetFileName(path);
        IReadOnlyList<FlowRecord> flowRecords;
        try
        {
            flowRecords = FlowRecordContents.Read(path);
        }
        catch (XmlException e)
        {
            throw new LocalExportException(SafeXml.IsDtdRefusal(e) ? $"{file} carries a DTD, which is prohibited." : $"{file} is not well-formed XML: {e.Message}");
        }
        catch (FormatException e)
        {
            throw new LocalExportException($"{file}: {e.Message}");
        }
        for (var i = 0; i < flowRecords.Count; i++)
        {
            var source = new LocalSource(file, i + 1, "record");
            if (flowRecords[i].TipoOperazione == "C") records.Cancel(flowRecords[i].Content, source);
            else records.Insert(flowRecords[i].Content, source);
        }
    }

    /// <summary>Sorts names by their date then numeric progressive; names of another shape come last.</summary>
    private static (int Known, string Date, long Progressive) SendingOrder(string name)
    {
        var match = FlowNamePattern().Match(name);
        return match.Success
            ? (0, match.Groups["date"].Value, long.Parse(match.Groups["progressive"].Value, CultureInfo.InvariantCulture))
            : (1, "", 0);
    }

    /// <summary>
    /// The flow's <c>IdentificazioneFlusso/@Nome</c> (the file name when it has none), or null when the file's root is
    /// not a Casellario <c>Flusso</c>. A file that is not well-formed counts as a flow, so reading it reports the error.
    /// </summary>
    private static string? FlowName(string path)
    {
        try
        {
            // Opened as a stream: no resolver is ever given a path or URI.
            using var stream = File.OpenRead(path);
            using var reader = XmlReader.Create(stream, SafeXml.ReaderSettings(FlowRecordContents.MaxCharacters));
            reader.MoveToContent();
            if (reader.LocalName != "Flusso" || reader.NamespaceURI != CasellarioNamespace) return null;
            while (reader.Read())
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "IdentificazioneFlusso")
                    return reader.GetAttribute("Nome") ?? Path.GetFileName(path);
        }
        catch (XmlException)
        {
            // Reported with its file name when the records are read.
        }
        return Path.GetFileName(path);
    }

    /// <summary>The namespace of both official flow layouts.</summary>
    private const string CasellarioNamespace = "http://inps.it/Casellario";

    [GeneratedRegex(@"^[^.]+\.[A-Z]+\.(?<date>\d{8})\.(?<progressive>\d{1,18})$", RegexOptions.CultureInvariant)]
    private static partial Regex FlowNamePattern();
}
