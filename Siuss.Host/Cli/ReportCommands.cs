using System.CommandLine;
using System.Globalization;
using Siuss.Service.Reports;
using Siuss.Service.Storage;

namespace Siuss.Host.Cli;

/// <summary>Operator reports: <c>report compliance</c>.</summary>
public static class ReportCommands
{
    /// <summary>The <c>report</c> command with its sub-commands.</summary>
    public static Command Create() => new("report", "Reports for the operator and the auditors.") { Compliance() };

    private static Command Compliance()
    {
        var from = CliSyntax.RequiredDate("--from", "First day of the period (yyyy-MM-dd, UTC).");
        var to = CliSyntax.RequiredDate("--to", "Last day of the period (yyyy-MM-dd, UTC, included).");
        var csv = new Option<bool>("--csv") { Description = "Write CSV instead of an aligned table." };
        var command = new Command("compliance", "Per paying body: flows received, acquired and refused; records accepted, refused, late and accepted with warnings; bodies that sent nothing.")
        {
            from, to, csv,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(to) < parse.GetValue(from))
            {
                Console.Error.WriteLine("--to is before --from.");
                return 2;
            }
            if (AgencyCommands.ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
            var rows = await host.Services.GetRequiredService<ComplianceReport>().ForPeriodAsync(parse.GetValue(from), parse.GetValue(to), ct);
            Print(rows, parse.GetValue(csv), parse.GetValue(from), parse.GetValue(to));
            return 0;
        });
        return command;
    }

    private static void Print(IReadOnlyList<ComplianceRow> rows, bool csv, DateOnly from, DateOnly to)
    {
        string[] header = ["ente", "denominazione", "flussi_ricevuti", "flussi_acquisiti", "flussi_scartati", "record_accettati", "record_scartati", "record_tardivi", "record_con_avvertenze", "ultimo_invio", "nessun_invio"];
        var lines = rows.Select(r => new[]
        {
            r.AgencyCode, r.Name, N(r.FlowsReceived), N(r.FlowsAcquired), N(r.FlowsRefused), N(r.RecordsAccepted), N(r.RecordsRefused),
            N(r.RecordsLate), N(r.RecordsWarned), r.LastSubmission?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "", r.SentNothing ? "SI" : "",
        }).ToList();
        TablePrinter.Print(header, lines, csv,
            $"Compliance {from:yyyy-MM-dd} .. {to:yyyy-MM-dd}: {rows.Count} bodies, {rows.Count(r => r.SentNothing)} sent nothing.");
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
