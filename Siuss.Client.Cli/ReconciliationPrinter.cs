using Siuss.Client.Reconciliation;

namespace Siuss.Client.Cli;

/// <summary>Prints a period's differences as a table the body's staff can act on (their own records: fiscal codes included).</summary>
public static class ReconciliationPrinter
{
    /// <summary>The most warnings about the export printed before they are only counted.</summary>
    public const int MaxWarnings = 20;

    /// <summary>A period whose digests matched.</summary>
    public static void Unchanged(string periodo, int localActive, string digest, TextWriter? output = null) =>
        (output ?? Console.Out).WriteLine($"{periodo}: period unchanged ({localActive} active record{(localActive == 1 ? "" : "s")}, digest {digest[..16]}…)");

    /// <summary>A period that had to be listed: its counts, then one line per difference, then the fields that differ when <paramref name="explain"/>.</summary>
    public static void Differences(PeriodComparison comparison, bool explain, TextWriter? output = null)
    {
        var o = output ?? Console.Out;
        var c = comparison;
        o.WriteLine($"{c.Periodo}: register {c.RegisterActive} active and {c.RegisterCancelled} cancelled, local {c.LocalActive} active; " +
                    $"{c.Count(DifferenceKind.Missing)} missing, {c.Count(DifferenceKind.Extra)} extra, {c.Count(DifferenceKind.Changed)} changed");
        if (c.Differences.Count == 0) return;
        var protocolWidth = Math.Max("ProtocolloDomanda".Length, c.Differences.Max(d => d.ProtocolloDomanda.Length));
        var codeWidth = Math.Max("Codice".Length, c.Differences.Max(d => d.CodicePrestazione.Length));
        o.WriteLine($"  {"Diff",-8}  {"CodiceFiscale",-16}  {"Codice".PadRight(codeWidth)}  {"ProtocolloDomanda".PadRight(protocolWidth)}  {"Data",-10}  Detail");
        foreach (var d in c.Differences)
        {
            o.WriteLine($"  {Label(d.Kind),-8}  {d.CodiceFiscale,-16}  {d.CodicePrestazione.PadRight(codeWidth)}  {d.ProtocolloDomanda.PadRight(protocolWidth)}  {d.DataRiferimento:yyyy-MM-dd}  {d.Detail}");
            if (!explain || d.Kind != DifferenceKind.Changed) continue;
            if (d.Fields.Count == 0)
                o.WriteLine("            (the export does not hold the register's version: the fields that differ cannot be shown)");
            foreach (var field in d.Fields)
                o.WriteLine($"            {field.Field}: register {field.Register ?? "(absent)"} | local {field.Local ?? "(absent)"}");
        }
    }

    /// <summary>What the export holds that the register would have refused, so the reader knows the local view is an assumption there.</summary>
    public static void Warnings(IReadOnlyList<string> warnings, TextWriter? output = null)
    {
        var o = output ?? Console.Error;
        foreach (var warning in warnings.Take(MaxWarnings)) o.WriteLine($"warning: {warning}");
        if (warnings.Count > MaxWarnings) o.WriteLine($"warning: ... and {warnings.Count - MaxWarnings} more.");
    }

    /// <summary>The label of a kind, as scripts grep it.</summary>
    public static string Label(DifferenceKind kind) => kind switch
    {
        DifferenceKind.Missing => "MISSING",
        DifferenceKind.Extra => "EXTRA",
        _ => "CHANGED",
    };
}
