using System.CommandLine;
using Siuss.Client.Reconciliation;

namespace Siuss.Client.Cli.Commands;

/// <summary>
/// <c>reconcile</c>: compares the register's records of one or more months (ReconcileRecords) with the body's own
/// export and prints what is MISSING, EXTRA or CHANGED; a month whose period digest matches is skipped unread.
/// Exit 0 when every month matches, 1 when there are differences.
/// </summary>
public static class ReconcileCommand
{
    /// <summary>Records per page when <c>--limit</c> is not given.</summary>
    public const int DefaultLimit = 500;

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var url = CommonOptions.Url();
        var registerCert = CommonOptions.RegisterCert();
        var periodo = new Option<string>("--periodo")
        {
            Description = "The month of DataRiferimento to reconcile, yyyy-MM, or a range yyyy-MM..yyyy-MM.",
            Required = true,
        };
        var local = new Option<string>("--local")
        {
            Description = "The body's own records: a CSV export (.csv, columns in the README), a folder of the PS_PSA_SINA flow files sent, or one flow file.",
            Required = true,
        };
        var explain = new Option<bool>("--explain") { Description = "For CHANGED records, show the fields that differ (when the export holds the register's version)." };
        var limit = new Option<int>("--limit") { Description = "Records per page (ReconcileRecords Limit).", DefaultValueFactory = _ => DefaultLimit };
        var signer = new SignerOptions();
        var command = new Command("reconcile",
            "Compare the register's records of a period with a local CSV or flow-file export and print the differences (MISSING, EXTRA, CHANGED). Exit 0: equal; 1: differences.")
        {
            url, registerCert, periodo, local, explain, limit,
        };
        signer.AddTo(command);
        command.SetAction((parse, _) => ClientCommandLine.Guard(async () =>
        {
            var endpoint = CommonOptions.Endpoint(parse.GetRequiredValue(url));
            var months = Periods.Parse(parse.GetRequiredValue(periodo));
            var pageSize = parse.GetValue(limit);
            if (pageSize < 1) throw new UsageException("--limit must be at least 1.");
            var identity = signer.Load(parse);
            var records = LocalExport.Load(parse.GetRequiredValue(local));
            ReconciliationPrinter.Warnings(records.Warnings);
            var certificate = await RegisterCertificate.LoadAsync(parse.GetValue(registerCert), endpoint);

            var differences = 0;
            await using var client = new RegisterClient(endpoint);
            var reader = new RegisterPeriodReader(client, identity, certificate, pageSize);
            foreach (var month in months)
            {
                var localDigest = records.PeriodDigestOf(month);
                var register = await reader.ReadAsync(month, localDigest);
                if (register.Records is null)
                {
                    ReconciliationPrinter.Unchanged(month, register.Summary.RecordAttivi, localDigest);
                    continue;
                }
                if (!register.Consistent)
                    Console.Error.WriteLine($"warning: {month}: the register kept changing while it was read; the differences below may already be out of date. Run again later.");
                var comparison = RecordComparer.Compare(month, records, register.Records);
                ReconciliationPrinter.Differences(comparison, parse.GetValue(explain));
                differences += comparison.Differences.Count;
            }
            Console.WriteLine(differences == 0
                ? $"Reconciled {months.Count} month(s): no differences."
                : $"Reconciled {months.Count} month(s): {differences} difference(s).");
            return differences == 0 ? ExitCodes.Ok : ExitCodes.Differences;
        }));
        return command;
    }
}
