using System.CommandLine;
using System.Globalization;
using System.Net.Mail;
using Siuss.Host.Portale;
using Siuss.Service.Storage;

namespace Siuss.Host.Cli;

/// <summary>Operator verbs for the web channel's accounts: <c>user add</c>, <c>user list</c>, <c>user disable</c>.</summary>
public static class UserCommands
{
    /// <summary>The <c>user</c> command with its sub-commands.</summary>
    public static Command Create() => new("user", "Create, list and disable the operators of paying bodies in the web channel (/portale/).")
    {
        Add(), List(), Disable(),
    };

    private static Option<string> EmailOption() => new("--email") { Description = "The operator's e-mail address (their login name).", Required = true };

    private static Command Add()
    {
        var ente = new Option<string>("--ente") { Description = "The registered paying body the operator works for, e.g. H501.", Required = true };
        var emailOption = EmailOption();
        var command = new Command("add", "Create an operator account and print its one-time activation link (again for a known address: a new link, the old password and second factor stop working).")
        {
            ente, emailOption,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var code = parse.GetValue(ente)!.Trim();
            if (Email(parse, emailOption) is not { } email) return 2;
            if (AgencyCommands.ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
            if (await host.Services.GetRequiredService<AgencyRepository>().FindAsync(code, ct) is null)
            {
                Console.Error.WriteLine($"No paying body '{code}' is registered (agency add first).");
                return 2;
            }
            var url = await host.Services.GetRequiredService<PortalAccounts>().InviteAsync(code, email, ct);
            if (url is null)
            {
                Console.Error.WriteLine($"The address is already an operator of another body; disable it there or use another address.");
                return 2;
            }
            Console.WriteLine($"Operator {email} of {code}: send them this one-time activation link (valid until its expiry, it works once):");
            Console.WriteLine(url);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "Every operator account: body, address, state, when created, activated and disabled.") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(async (parse, ct) =>
        {
            if (AgencyCommands.ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
            var users = await host.Services.GetRequiredService<PortalUserRepository>().ListAsync(ct);
            var now = DateTime.UtcNow;
            TablePrinter.Print(["ente", "email", "stato", "creato", "attivato", "disabilitato"], users.Select(u => new[]
            {
                u.AgencyCode, u.Email, State(u, now), Time(u.CreatedAt), Time(u.ActivatedAt), Time(u.DisabledAt),
            }).ToList(), csv: false, $"{users.Count} operators.");
            return 0;
        });
        return command;
    }

    private static Command Disable()
    {
        var emailOption = EmailOption();
        var command = new Command("disable", "Disable an operator account: its sessions end at their next request and it can no longer log in.") { emailOption };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            if (Email(parse, emailOption) is not { } email) return 2;
            if (AgencyCommands.ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
            if (!await host.Services.GetRequiredService<PortalUserRepository>().DisableAsync(email, DateTime.UtcNow, ct))
            {
                Console.Error.WriteLine($"No active operator with the address {email}.");
                return 1;
            }
            Console.WriteLine($"Operator {email} disabled.");
            return 0;
        });
        return command;
    }

    private static string? Email(ParseResult parse, Option<string> option)
    {
        var email = PortalAccounts.NormalizeEmail(parse.GetValue(option)!);
        if (email.Length <= 254 && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email) return email;
        Console.Error.WriteLine("--email must be a plain e-mail address, e.g. mario.rossi@comune.roma.it.");
        return null;
    }

    private static string State(PortalUser user, DateTime now) =>
        user.DisabledAt is not null ? "disabilitato"
        : !user.IsActive ? "da attivare"
        : user.LockedUntil is { } locked && DateTime.SpecifyKind(locked, DateTimeKind.Utc) > now ? "bloccato"
        : "attivo";

    private static string Time(DateTime? value) =>
        value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";
}
