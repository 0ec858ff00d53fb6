using System.CommandLine;
using System.Globalization;
using Siuss.Service.Rules;
using Siuss.Service.Storage;

namespace Siuss.Host.Cli;

/// <summary>Operator verbs for the rule catalogue: <c>rules list</c>, <c>rules set</c>, <c>rules audit</c>.</summary>
public static class RuleCommands
{
    /// <summary>The <c>rules</c> command with its sub-commands.</summary>
    public static Command Create() => new("rules", "Show the rules with what they rest on, and raise or silence the register's policy rules.")
    {
        List(), Set(), Audit(),
    };

    private static Command List()
    {
        var command = new Command("list", "Every rule: its basis, its severity now and where that comes from (default, configuration, rules set).");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            if (AgencyCommands.ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            var severities = await Open(host).CurrentAsync(ct);
            var lines = RuleCodes.Catalogue.Select(r =>
            {
                var (severity, from) = severities.Explain(r.Code);
                return new[] { r.Code, r.Basis.ToString(), RuleSeverities.Text(severity), from };
            }).ToList();
            TablePrinter.Print(["codice", "base", "gravita", "da"], lines, csv: false,
                $"{lines.Count} rules; code table {(severities.CodeTableComplete ? "declared complete" : "not declared complete")}. Sources: docs/rules.md.");
            return 0;
        });
        return command;
    }

    private static Command Set()
    {
        var code = new Option<string>("--code") { Description = "A register-policy rule code, e.g. DATE_IN_FUTURE.", Required = true };
        var severity = new Option<string>("--severity") { Description = "refuse, warn or off.", Required = true };
        var command = new Command("set", "Raise a register-policy rule to a refusal, keep it a warning, or silence it; audited, and running registers apply it within the refresh interval.")
        {
            code, severity,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var rule = parse.GetValue(code)!.Trim();
            var wanted = parse.GetValue(severity)!;
            if (RuleSeverities.Problem(rule, wanted) is { } problem)
            {
                Console.Error.WriteLine(problem);
                return 2;
            }
            if (AgencyCommands.ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            var change = await Open(host).SetSeverityAsync(rule, wanted, Environment.UserName, ct);
            Console.WriteLine($"{Time(change.OccurredAt)} {change.ChangedBy}: {change.Name} {change.BeforeValue} -> {change.AfterValue}.");
            return 0;
        });
        return command;
    }

    private static Command Audit()
    {
        var command = new Command("audit", "Every change of a rule's severity or of the code table's completeness: when, by whom, before and after.");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            if (AgencyCommands.ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            Open(host);
            var changes = await host.Services.GetRequiredService<RuleSettingsRepository>().AuditAsync(ct);
            TablePrinter.Print(["quando", "chi", "regola", "prima", "dopo"],
                changes.Select(c => new[] { Time(c.OccurredAt), c.ChangedBy, c.Name, c.BeforeValue, c.AfterValue }).ToList(), csv: false,
                $"{changes.Count} changes.");
            return 0;
        });
        return command;
    }

    private static RuleSeverityCatalog Open(Microsoft.Extensions.Hosting.IHost host)
    {
        host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
        return host.Services.GetRequiredService<RuleSeverityCatalog>();
    }

    private static string Time(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
