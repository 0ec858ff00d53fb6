using System.CommandLine;
using System.Globalization;
using Siuss.Service.Storage;

namespace Siuss.Host.Cli;

/// <summary>Operator verbs over the audit trails: <c>audit consultations</c>.</summary>
public static class AuditCommands
{
    /// <summary>The <c>audit</c> command with its sub-commands.</summary>
    public static Command Create() => new("audit", "Audit trails for the operator and the auditors.") { Consultations() };

    private static Command Consultations()
    {
        var from = CliSyntax.RequiredDate("--from", "First day (yyyy-MM-dd, UTC).");
        var to = CliSyntax.RequiredDate("--to", "Last day (yyyy-MM-dd, UTC, included).");
        var ente = new Option<string?>("--ente") { Description = "Only consultations by this body (its code)." };
        var codiceFiscale = new Option<string?>("--codice-fiscale") { Description = "Only consultations of this person." };
        var csv = new Option<bool>("--csv") { Description = "Write CSV instead of an aligned table." };
        var command = new Command("consultations",
            "GetBeneficiaryBenefits consultations, allowed and refused: when, which body and certificate, which person, the outcome and what was shown.")
        {
            from, to, ente, codiceFiscale, csv,
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
            var rows = await host.Services.GetRequiredService<ConsultationAuditRepository>().SearchAsync(
                parse.GetValue(from).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                parse.GetValue(to).AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
                Blank(parse.GetValue(ente)), Blank(parse.GetValue(codiceFiscale))?.ToUpperInvariant(), ct);
            Print(rows, parse.GetValue(csv), parse.GetValue(from), parse.GetValue(to));
            return 0;
        });
        return command;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static void Print(IReadOnlyList<ConsultationAuditEntry> rows, bool csv, DateOnly from, DateOnly to)
    {
        string[] header = ["id", "data_ora", "ente", "certificato", "id_messaggio", "id_correlazione", "codice_fiscale", "esito", "codice_errore", "record", "id_record", "hash_richiesta", "hash_risposta"];
        var lines = rows.Select(r => new[]
        {
            r.Id.ToString(CultureInfo.InvariantCulture), r.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), r.AgencyCode,
            r.SignerThumbprint, r.IdMessaggio, r.CorrelationId, r.CodiceFiscale, r.Outcome, r.FaultCode ?? "",
            r.RecordCount.ToString(CultureInfo.InvariantCulture), r.RecordIds, r.RequestHash, r.AnswerHash ?? "",
        }).ToList();
        TablePrinter.Print(header, lines, csv,
            $"Consultations {from:yyyy-MM-dd} .. {to:yyyy-MM-dd}: {rows.Count} ({rows.Count(r => r.Outcome == ConsultationOutcomes.Allowed)} allowed, " +
            $"{rows.Count(r => r.Outcome == ConsultationOutcomes.Refused)} refused).");
    }
}
