using System.CommandLine;
using System.Globalization;
using Siuss.Service.Rules;
using Siuss.Service.Storage;

namespace Siuss.Host.Cli;

/// <summary>Operator verbs for the benefit-code table: <c>codes list</c>, <c>codes import</c>, <c>codes set</c>.</summary>
public static class CodeCommands
{
    /// <summary>The <c>codes</c> command with its sub-commands.</summary>
    public static Command Create() => new("codes", "Show and change the benefit-code table (CodicePrestazione) without a release.")
    {
        List(), Import(), Set(),
    };

    private static Command List()
    {
        var on = CliSyntax.OptionalDate("--on", "Only codes valid on this date (yyyy-MM-dd).");
        var command = new Command("list", "List the benefit codes as the register applies them.") { on };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            if (AgencyCommands.ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            var table = await (await OpenCatalogAsync(host, ct)).CurrentAsync(ct);
            var date = parse.GetValue(on);
            Console.WriteLine("codice\tsezione\tvalido_dal\tvalido_al\tpresa_carico\tdata_evento\tdescrizione");
            foreach (var c in table.All.Where(c => date is null || c.IsValidOn(date.Value)).OrderBy(c => c.Codice, StringComparer.Ordinal))
                Console.WriteLine($"{c.Codice}\t{c.Sezione}\t{c.ValidoDal:yyyy-MM-dd}\t{c.ValidoAl:yyyy-MM-dd}\t{Flag(c.RichiedePresaCarico)}\t{Flag(c.RichiedeDataEvento)}\t{c.Descrizione}");
            return 0;
        });
        return command;
    }

    private static Command Import()
    {
        var file = new Option<FileInfo>("--file") { Description = "Semicolon-separated file with the seed's header: codice;descrizione;sezione;valido_dal;valido_al;richiede_presa_carico;richiede_data_evento", Required = true };
        var complete = new Option<bool>("--complete")
        {
            Description = "Declare the table complete after the import (the official DM 206/2014 Tab. 1 with INPS's updates): from then on an unknown code refuses its record instead of warning. Audited.",
        };
        var command = new Command("import", "Add or replace the codes listed in a file (codes not in the file are left as they are).") { file, complete };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"File '{path.FullName}' does not exist.");
                return 2;
            }
            List<BenefitCode> codes;
            try
            {
                using var reader = path.OpenText();
                codes = BenefitCodeTable.ParseCsv(reader).ToList();
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException)
            {
                Console.Error.WriteLine($"'{path.FullName}' is not a benefit-code table: {e.Message}");
                return 2;
            }
            if (AgencyCommands.ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            var (added, updated) = await (await OpenCatalogAsync(host, ct)).UpsertAsync(codes, ct);
            Console.WriteLine($"{added} codes added, {updated} updated. Running registers apply them within 30 seconds.");
            if (parse.GetValue(complete))
            {
                var change = await host.Services.GetRequiredService<RuleSeverityCatalog>().SetCodeTableCompleteAsync(true, Environment.UserName, ct);
                Console.WriteLine($"{change.OccurredAt:yyyy-MM-dd'T'HH:mm:ss'Z'} {change.ChangedBy}: the code table is declared complete (it was {(change.BeforeValue == "true" ? "complete" : "not complete")}); " +
                                  $"an unknown benefit code now refuses its record ({RuleCodes.BenefitCodeUnknown}, {RuleCodes.SinbaBenefitCodeUnknown}).");
            }
            return 0;
        });
        return command;
    }

    private static Command Set()
    {
        var codice = new Option<string>("--codice") { Description = "The code, e.g. A1.05.01.", Required = true };
        var descrizione = new Option<string?>("--descrizione") { Description = "Description (required for a new code)." };
        var sezione = new Option<string?>("--sezione") { Description = "Section, e.g. A1 (default: the code's prefix)." };
        var dal = CliSyntax.OptionalDate("--valido-dal", "First day the code may be used (yyyy-MM-dd).");
        var al = new Option<string?>("--valido-al") { Description = "Last day the code may be used (yyyy-MM-dd), or 'none'." };
        var presa = new Option<bool?>("--richiede-presa-carico") { Description = "true when the benefit requires PresaCarico=1." };
        var evento = new Option<bool?>("--richiede-data-evento") { Description = "true when the record must carry DataEvento." };
        var command = new Command("set", "Add one code or change some of its fields.") { codice, descrizione, sezione, dal, al, presa, evento };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            if (AgencyCommands.ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            var catalog = await OpenCatalogAsync(host, ct);
            var code = parse.GetValue(codice)!.Trim();
            var current = (await catalog.CurrentAsync(ct)).Find(code);
            if (current is null && string.IsNullOrWhiteSpace(parse.GetValue(descrizione)))
            {
                Console.Error.WriteLine($"'{code}' is a new code: give --descrizione (and --valido-dal).");
                return 2;
            }
            DateOnly? validoAl = current?.ValidoAl;
            if (parse.GetValue(al) is { } text)
            {
                if (text.Equals("none", StringComparison.OrdinalIgnoreCase)) validoAl = null;
                else if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) validoAl = d;
                else
                {
                    Console.Error.WriteLine($"--valido-al '{text}' is not a date (yyyy-MM-dd) or 'none'.");
                    return 2;
                }
            }
            var updated = new BenefitCode
            {
                Codice = code,
                Descrizione = parse.GetValue(descrizione) ?? current!.Descrizione,
                Sezione = parse.GetValue(sezione) ?? current?.Sezione ?? code.Split('.')[0],
                ValidoDal = parse.GetValue(dal) ?? current?.ValidoDal ?? DateOnly.FromDateTime(DateTime.UtcNow),
                ValidoAl = validoAl,
                RichiedePresaCarico = parse.GetValue(presa) ?? current?.RichiedePresaCarico ?? false,
                RichiedeDataEvento = parse.GetValue(evento) ?? current?.RichiedeDataEvento ?? false,
            };
            if (updated.ValidoAl < updated.ValidoDal)
            {
                Console.Error.WriteLine("valido-al is before valido-dal.");
                return 2;
            }
            await catalog.UpsertAsync([updated], ct);
            Console.WriteLine($"{(current is null ? "Added" : "Updated")} {code}: valid {updated.ValidoDal:yyyy-MM-dd} to {(updated.ValidoAl is { } end ? end.ToString("yyyy-MM-dd") : "(open)")}, " +
                              $"presa carico {Flag(updated.RichiedePresaCarico)}, data evento {Flag(updated.RichiedeDataEvento)}.");
            return 0;
        });
        return command;
    }

    private static async Task<BenefitCodeCatalog> OpenCatalogAsync(Microsoft.Extensions.Hosting.IHost host, CancellationToken ct)
    {
        host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
        var catalog = host.Services.GetRequiredService<BenefitCodeCatalog>();
        await catalog.SeedAsync(ct);
        return catalog;
    }

    private static string Flag(bool value) => value ? "yes" : "no";
}
