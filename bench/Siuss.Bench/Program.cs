using System.Diagnostics;
using Siuss.Bench;

// Usage (from the repository root):
//   dotnet run -c Release --project bench/Siuss.Bench -- [--quick] [--only batch,coop,memory,read,paging,pg] [--out DIR]
// Writes DIR/latest.md and DIR/latest.json (DIR defaults to bench/results). The hidden verb
// 'serve' is the child register the driver starts; nobody needs to run it by hand.
if (args.Length > 0 && args[0] == "serve")
    return await Serve.RunAsync(args[1..]);

Options options;
try { options = Options.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}
if (options.Help) { Console.WriteLine(Options.Usage); return 0; }

var total = Stopwatch.StartNew();
var report = Report.Start(options.Quick ? "quick" : "full", options.CommandLine, options.RepositoryRoot);
Console.WriteLine($"SIUSS bench, {report.Mode} mode: {report.Machine["cores"]} cores, {report.Machine["memory_gib"]} GiB, {report.Machine["dotnet"]}, commit {report.Machine["commit"]}");
using var body = Certificates.Rsa("CN=Comune di Roma, O=H501");

async Task Step(string name, Func<Task> run)
{
    if (!options.Runs(name)) return;
    var sw = Stopwatch.StartNew();
    Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {name}...");
    await run();
    Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {name} done in {sw.Elapsed.TotalSeconds:F0} s");
}

await Step("batch", () => BatchIngest.RunAsync(report, options, body));
await Step("coop", () => Cooperative.RunAsync(report, options, body));
await Step("memory", () => MemoryScenario.RunAsync(report, options, body));
await Step("read", () => ReadSide.RunAsync(report, options, body));
await Step("paging", () => ReadSidePaging.RunAsync(report, options, body));
await Step("pg", () => PostgreSqlScenario.RunAsync(report, options, body));

report.Elapsed = total.Elapsed;
Directory.CreateDirectory(options.OutputDirectory);
var md = report.ToMarkdown();
await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "latest.md"), md);
await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "latest.json"), report.ToJson());
Console.WriteLine();
Console.WriteLine(md);
Console.WriteLine($"Written {Path.Combine(options.OutputDirectory, "latest.md")} and latest.json in {total.Elapsed.TotalSeconds:F0} s.");
return 0;

namespace Siuss.Bench
{
    /// <summary>Command-line options of the harness.</summary>
    public sealed class Options
    {
        public const string Usage =
            "usage: dotnet run -c Release --project bench/Siuss.Bench -- [--quick] [--only batch,coop,memory,read,paging,pg] [--out DIR] [--duration SECONDS] [--clients 16,64] [--records 10000]";

        public bool Quick { get; private set; }
        public bool Help { get; private set; }
        public HashSet<string>? Only { get; private set; }
        public string OutputDirectory { get; private set; } = "";
        public string RepositoryRoot { get; private set; } = "";
        public string CommandLine { get; private set; } = "";
        public double? DurationOverride { get; private set; }

        public int[] BatchSizes => RecordsOverride ?? (Quick ? [1_000] : [1_000, 10_000, 100_000]);
        public int[]? RecordsOverride { get; private set; }
        public int[] ClientCounts => ClientsOverride ?? (Quick ? [16] : [16, 64, 256]);
        public int[]? ClientsOverride { get; private set; }
        public TimeSpan LoadDuration => TimeSpan.FromSeconds(DurationOverride ?? (Quick ? 3 : 10));
        public long[] MemoryFlowBytes => Quick ? [1_000_000] : [1_000_000, 10_000_000, 50_000_000];
        public int ReadClients => 16;

        public bool Runs(string scenario) => Only is null || Only.Contains(scenario);

        public static Options Parse(string[] args)
        {
            var o = new Options();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--quick": o.Quick = true; break;
                    case "-h" or "--help": o.Help = true; break;
                    case "--only" when i + 1 < args.Length:
                        o.Only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                        var unknown = o.Only.Except(["batch", "coop", "memory", "read", "paging", "pg"]).ToList();
                        if (unknown.Count > 0) throw new ArgumentException("unknown scenario: " + string.Join(", ", unknown));
                        break;
                    case "--clients" when i + 1 < args.Length: o.ClientsOverride = args[++i].Split(',').Select(int.Parse).ToArray(); break;
                    case "--records" when i + 1 < args.Length: o.RecordsOverride = args[++i].Split(',').Select(int.Parse).ToArray(); break;
                    case "--out" when i + 1 < args.Length: o.OutputDirectory = args[++i]; break;
                    case "--duration" when i + 1 < args.Length: o.DurationOverride = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException("unknown option: " + args[i]);
                }
            }
            o.RepositoryRoot = FindRepositoryRoot();
            if (o.OutputDirectory.Length == 0) o.OutputDirectory = Path.Combine(o.RepositoryRoot, "bench", "results");
            o.CommandLine = "dotnet run -c Release --project bench/Siuss.Bench --" + (args.Length > 0 ? " " + string.Join(' ', args) : "");
            return o;
        }

        private static string FindRepositoryRoot()
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "Siuss.sln"))) return dir.FullName;
            }
            return Directory.GetCurrentDirectory();
        }
    }
}
