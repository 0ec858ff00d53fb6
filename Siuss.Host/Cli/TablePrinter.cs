namespace Siuss.Host.Cli;

/// <summary>Writes an operator listing as semicolon CSV (for spreadsheets) or as an aligned text table under a title line.</summary>
public static class TablePrinter
{
    /// <summary>Prints <paramref name="header"/> and <paramref name="lines"/>; <paramref name="title"/> is shown only above the text table.</summary>
    public static void Print(string[] header, IReadOnlyList<string[]> lines, bool csv, string title)
    {
        if (csv)
        {
            Console.WriteLine(string.Join(';', header));
            foreach (var line in lines) Console.WriteLine(string.Join(';', line.Select(Csv)));
            return;
        }
        Console.WriteLine(title);
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToArray();
        Console.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
        foreach (var line in lines) Console.WriteLine(string.Join("  ", line.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
    }

    private static string Csv(string value) =>
        value.Contains(';') || value.Contains('"') ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
