using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Siuss.Bench;

/// <summary>One table of the report: rows of named cells, rendered as markdown and kept as JSON values.</summary>
public sealed class Section(string key, string title)
{
    public string Key { get; } = key;
    public string Title { get; } = title;
    public List<string> Intro { get; } = [];
    public List<List<(string Column, object? Value)>> Rows { get; } = [];
    public List<string> Notes { get; } = [];

    public void Row(params (string Column, object? Value)[] cells) => Rows.Add([.. cells]);
}

/// <summary>A target of issue 6 and whether this run met it.</summary>
public sealed record Target(string Name, string Goal, string Measured, bool? Met);

/// <summary>The run's report: machine, sections, targets; written as markdown and JSON.</summary>
public sealed class Report
{
    public Dictionary<string, object?> Machine { get; } = new();
    public List<Section> Sections { get; } = [];
    public List<Target> Targets { get; } = [];
    public string Mode { get; set; } = "full";
    public string Command { get; set; } = "";
    public TimeSpan Elapsed { get; set; }

    public static Report Start(string mode, string command, string repositoryRoot)
    {
        var r = new Report { Mode = mode, Command = command };
        r.Machine["date_utc"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        r.Machine["commit"] = Git(repositoryRoot, "rev-parse HEAD");
        var dirty = Git(repositoryRoot, "status --porcelain --untracked-files=no");
        r.Machine["working_tree_clean"] = dirty is null ? null : dirty.Length == 0;
        r.Machine["os"] = RuntimeInformation.OSDescription;
        r.Machine["kernel_arch"] = RuntimeInformation.OSArchitecture.ToString();
        r.Machine["cores"] = Environment.ProcessorCount;
        r.Machine["cpu"] = CpuModel();
        r.Machine["memory_gib"] = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1);
        r.Machine["dotnet"] = RuntimeInformation.FrameworkDescription;
        r.Machine["sqlite"] = SqliteVersion();
        r.Machine["filesystem_of_data"] = FileSystemOf(Path.GetTempPath());
        return r;
    }

    public Section Add(string key, string title)
    {
        var s = new Section(key, title);
        Sections.Add(s);
        return s;
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# SIUSS benchmark results");
        md.AppendLine();
        md.AppendLine($"Mode **{Mode}**, produced by `{Command}` in {Elapsed.TotalSeconds:F0} s. Every figure is compared with a floor measured in the same run on the same machine; ratios are what to compare across machines.");
        md.AppendLine();
        md.AppendLine("| machine | |");
        md.AppendLine("|---|---|");
        foreach (var (k, v) in Machine) md.AppendLine($"| {k} | {Format(v)} |");
        md.AppendLine();
        if (Targets.Count > 0)
        {
            md.AppendLine("## Targets of issue 6");
            md.AppendLine();
            md.AppendLine("| target | goal | measured | met |");
            md.AppendLine("|---|---|---|---|");
            foreach (var t in Targets)
                md.AppendLine($"| {t.Name} | {t.Goal} | {t.Measured} | {(t.Met is null ? "not measured" : t.Met.Value ? "yes" : "**no**")} |");
            md.AppendLine();
        }
        foreach (var s in Sections)
        {
            md.AppendLine($"## {s.Title}");
            md.AppendLine();
            foreach (var line in s.Intro) { md.AppendLine(line); md.AppendLine(); }
            if (s.Rows.Count > 0)
            {
                var columns = s.Rows.SelectMany(r => r.Select(c => c.Column)).Distinct().ToList();
                md.AppendLine("| " + string.Join(" | ", columns) + " |");
                md.AppendLine("|" + string.Concat(columns.Select(_ => "---|")));
                foreach (var row in s.Rows)
                {
                    var cells = columns.Select(c => Format(row.FirstOrDefault(x => x.Column == c).Value));
                    md.AppendLine("| " + string.Join(" | ", cells) + " |");
                }
                md.AppendLine();
            }
            foreach (var n in s.Notes) md.AppendLine("- " + n);
            if (s.Notes.Count > 0) md.AppendLine();
        }
        return md.ToString();
    }

    public string ToJson()
    {
        var root = new JsonObject
        {
            ["mode"] = Mode,
            ["command"] = Command,
            ["elapsed_seconds"] = Math.Round(Elapsed.TotalSeconds, 1),
            ["machine"] = ToNode(Machine),
            ["targets"] = new JsonArray(Targets.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name, ["goal"] = t.Goal, ["measured"] = t.Measured, ["met"] = t.Met,
            }).ToArray()),
            ["sections"] = new JsonArray(Sections.Select(s => (JsonNode)new JsonObject
            {
                ["key"] = s.Key,
                ["title"] = s.Title,
                ["rows"] = new JsonArray(s.Rows.Select(r => (JsonNode)ToNode(r.Select(c => new KeyValuePair<string, object?>(c.Column, c.Value)))).ToArray()),
                ["notes"] = new JsonArray(s.Notes.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
            }).ToArray()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The report's tables printed to the console.</summary>
    public string ToConsole() => ToMarkdown();

    private static JsonObject ToNode(IEnumerable<KeyValuePair<string, object?>> cells)
    {
        var o = new JsonObject();
        foreach (var (k, v) in cells)
            o[k] = v switch
            {
                null => null,
                double d when double.IsNaN(d) || double.IsInfinity(d) => null,
                double d => JsonValue.Create(Math.Round(d, 4)),
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                bool b => JsonValue.Create(b),
                _ => JsonValue.Create(v.ToString()),
            };
        return o;
    }

    public static string Format(object? v) => v switch
    {
        null => "-",
        double d when double.IsNaN(d) => "-",
        double d when Math.Abs(d) >= 1000 => d.ToString("N0", CultureInfo.InvariantCulture),
        double d when Math.Abs(d) >= 100 => d.ToString("F0", CultureInfo.InvariantCulture),
        double d when Math.Abs(d) >= 10 => d.ToString("F1", CultureInfo.InvariantCulture),
        double d => d.ToString("F3", CultureInfo.InvariantCulture),
        int i => i.ToString("N0", CultureInfo.InvariantCulture),
        long l => l.ToString("N0", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        _ => v.ToString()!.Replace("|", "\\|"),
    };

    private static string? Git(string root, string args)
    {
        try
        {
            var start = new ProcessStartInfo("git", args) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (Exception) { return null; }
    }

    private static string? CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (Exception) { return null; }
    }

    private static string? SqliteVersion()
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        c.Open();
        return c.ServerVersion;
    }

    private static string? FileSystemOf(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var best = File.ReadLines("/proc/mounts").Select(l => l.Split(' '))
                .Where(p => p.Length > 2 && full.StartsWith(p[1], StringComparison.Ordinal))
                .OrderByDescending(p => p[1].Length).FirstOrDefault();
            return best is null ? null : $"{best[2]} ({best[1]}, {path})";
        }
        catch (Exception) { return null; }
    }
}
