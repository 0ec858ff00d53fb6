using Siuss.Client.Submission;
using Spectre.Console;

namespace Siuss.Client.Cli.Folder;

/// <summary>The table printed at the end of a folder submission, and the one-line count under it.</summary>
public static class FolderSummary
{
    private static readonly string[] Headers = ["File", "Flow", "Esito", "IdAcquisizione", "Valid", "Refused", "Late", "Status"];

    /// <summary>A Spectre table on a terminal; aligned plain columns (two spaces apart, no wrapping) when redirected.</summary>
    public static void Write(IReadOnlyList<FileOutcome> outcomes, bool interactive, TextWriter? output = null)
    {
        var rows = outcomes.Select(Row).ToList();
        if (interactive)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var header in Headers) table.AddColumn(header);
            foreach (var row in rows) table.AddRow(row.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
        }
        else
        {
            var o = output ?? Console.Out;
            var widths = Headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
            o.WriteLine(string.Join("  ", Headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
            foreach (var row in rows)
                o.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
        var line = Totals(outcomes);
        if (interactive) AnsiConsole.WriteLine(line);
        else (output ?? Console.Out).WriteLine(line);
    }

    /// <summary>"12 file(s): 3 sent, 8 already acknowledged, 1 recovered from register, 0 refused, 0 refused earlier, 0 failed".</summary>
    public static string Totals(IReadOnlyList<FileOutcome> outcomes)
    {
        int Count(FileStatus status) => outcomes.Count(o => o.Status == status);
        return $"{outcomes.Count} file(s): {Count(FileStatus.Sent)} sent, {Count(FileStatus.AlreadyAcknowledged)} already acknowledged, " +
               $"{Count(FileStatus.Recovered)} recovered from register, {Count(FileStatus.Refused)} refused, " +
               $"{Count(FileStatus.RefusedEarlier)} refused earlier, {Count(FileStatus.Failed)} failed";
    }

    private static string[] Row(FileOutcome o)
    {
        var r = o.Ricevuta;
        return
        [
            o.File, FolderStatusText.Dash(o.NomeFlusso), FolderStatusText.Dash(r?.Esito), FolderStatusText.Dash(r?.IdAcquisizione),
            r is null ? "-" : r.Riepilogo.Validi.ToString(), r is null ? "-" : r.Riepilogo.Scartati.ToString(),
            r is null ? "-" : r.Riepilogo.Tardivi.ToString(), FolderStatusText.Status(o),
        ];
    }
}
