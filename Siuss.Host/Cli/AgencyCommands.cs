using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Siuss.Service.Storage;

namespace Siuss.Host.Cli;

/// <summary>Operator verbs for paying bodies: <c>agency add</c>, <c>agency list</c>, <c>agency revoke-cert</c>, <c>agency set-consult</c>.</summary>
public static class AgencyCommands
{
    /// <summary>The <c>agency</c> command with its sub-commands.</summary>
    public static Command Create() => new("agency", "Register paying bodies and manage their signing certificates.")
    {
        Add(), List(), RevokeCert(), SetConsult(),
    };

    /// <summary>
    /// The unmatched tokens that are configuration (<c>--Siuss:DataDirectory=...</c> and its value);
    /// any other unknown option is a typo the operator must hear about, not something to ignore.
    /// </summary>
    internal static string[]? ConfigurationTokens(ParseResult parse)
    {
        var tokens = parse.UnmatchedTokens;
        for (int i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.StartsWith('-') && !token.Contains(':'))
            {
                Console.Error.WriteLine($"Unknown option '{token}'. Configuration keys look like --Siuss:DataDirectory=/path.");
                return null;
            }
            if (token.StartsWith('-') && !token.Contains('=') && i + 1 < tokens.Count && !tokens[i + 1].StartsWith('-')) i++;
            else if (!token.StartsWith('-'))
            {
                Console.Error.WriteLine($"Unexpected argument '{token}'.");
                return null;
            }
        }
        return [.. tokens];
    }

    /// <summary>Loads a PEM or DER certificate, or says plainly why it cannot.</summary>
    internal static X509Certificate2? LoadCertificate(FileInfo file)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"Certificate file '{file.FullName}' does not exist.");
            return null;
        }
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(file.FullName);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            Console.Error.WriteLine($"'{file.FullName}' is not a certificate (PEM or DER): {e.Message}");
            return null;
        }
    }

    private static Command Add()
    {
        var code = new Option<string>("--code") { Description = "The body's code, as it will appear in CodiceEnte (e.g. H501).", Required = true };
        var name = new Option<string>("--name") { Description = "The body's name (e.g. \"Comune di Roma\").", Required = true };
        var belfiore = new Option<string>("--belfiore") { Description = "Cadastral (Belfiore) code of the body's seat (e.g. H501).", Required = true };
        var cert = new Option<FileInfo?>("--cert") { Description = "The body's signing certificate, PEM or DER. Repeat 'agency add' to pin more than one." };
        var consult = new Option<bool>("--can-consult") { Description = "Give the body the consulting role (cross-body look-ups). Without it, an existing body keeps its role; withdraw it with 'agency set-consult --off'." };
        var command = new Command("add", "Register a paying body (or update it) and pin a signing certificate for it.")
        {
            code, name, belfiore, cert, consult,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var belfioreCode = parse.GetValue(belfiore)!.Trim().ToUpperInvariant();
            if (belfioreCode.Length != 4 || !char.IsAsciiLetter(belfioreCode[0]) || !belfioreCode[1..].All(char.IsAsciiDigit))
            {
                Console.Error.WriteLine($"'{belfioreCode}' is not a cadastral code (one letter and three digits, e.g. H501).");
                return 2;
            }
            X509Certificate2? certificate = null;
            if (parse.GetValue(cert) is { } file && (certificate = LoadCertificate(file)) is null) return 2;
            if (certificate is not null && Siuss.Signing.SignatureProfileVerifier.KeyProblem(certificate) is { } keyProblem)
            {
                Console.Error.WriteLine($"This certificate cannot sign for the register: {keyProblem}");
                return 2;
            }
            if (ConfigurationTokens(parse) is not { } configuration) return 2;

            using var host = SiussCommandLine.BuildToolHost(configuration);
            host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
            var agencies = host.Services.GetRequiredService<AgencyRepository>();
            var agencyCode = parse.GetValue(code)!.Trim();
            // Pinning a renewed certificate re-runs 'add': that must not silently withdraw the consulting role.
            var existing = await agencies.FindAsync(agencyCode, ct);
            var agency = new Agency
            {
                Code = agencyCode,
                Name = parse.GetValue(name)!.Trim(),
                Belfiore = belfioreCode,
                CanConsult = parse.GetResult(consult) is { Implicit: false } ? parse.GetValue(consult) : existing?.CanConsult ?? false,
                RegisteredAt = DateTime.UtcNow,
            };
            try
            {
                await agencies.AddAsync(agency, certificate, DateTime.UtcNow, ct);
            }
            catch (System.Data.Common.DbException e) when (host.Services.GetRequiredService<Database>().Dialect.IsUniqueViolation(e))
            {
                Console.Error.WriteLine("That certificate is already registered (for this or another body).");
                return 3;
            }
            Console.WriteLine($"Registered {agency.Code} ({agency.Name}), seat {agency.Belfiore}{(agency.CanConsult ? ", consulting role" : "")}.");
            if (certificate is not null)
                Console.WriteLine($"Pinned certificate {AgencyRepository.Thumbprint(certificate)} ({certificate.Subject}), valid {certificate.NotBefore:u} to {certificate.NotAfter:u}.");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List registered bodies and their certificates.") { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(async (parse, ct) =>
        {
            if (ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
            var agencies = host.Services.GetRequiredService<AgencyRepository>();
            var all = await agencies.ListAsync(ct);
            if (all.Count == 0) Console.WriteLine("No paying bodies registered.");
            foreach (var agency in all)
            {
                Console.WriteLine($"{agency.Code}\t{agency.Name}\tseat {agency.Belfiore}{(agency.CanConsult ? "\tconsulting" : "")}");
                foreach (var c in await agencies.CertificatesAsync(agency.Code, ct))
                {
                    var state = c.IsRevoked ? $"REVOKED {c.RevokedAt:u}" : "active";
                    Console.WriteLine($"\tcert {c.ThumbprintSha256}\t{state}\tvalid {c.NotBefore:u} to {c.NotAfter:u}\t{c.Subject}");
                }
            }
            return 0;
        });
        return command;
    }

    private static Command RevokeCert()
    {
        var code = new Option<string>("--code") { Description = "The body's code.", Required = true };
        var thumbprint = new Option<string?>("--thumbprint") { Description = "SHA-256 thumbprint (hex) of the certificate, as 'agency list' shows it." };
        var cert = new Option<FileInfo?>("--cert") { Description = "Or: the certificate file to revoke." };
        var command = new Command("revoke-cert", "Revoke a body's signing certificate: its signatures are refused from now on.")
        {
            code, thumbprint, cert,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            var print = parse.GetValue(thumbprint);
            if (parse.GetValue(cert) is { } file)
            {
                if (LoadCertificate(file) is not { } certificate) return 2;
                print = AgencyRepository.Thumbprint(certificate);
            }
            if (string.IsNullOrWhiteSpace(print))
            {
                Console.Error.WriteLine("Give --thumbprint or --cert.");
                return 2;
            }
            // Accept the forms tools print: AB:CD:..., with spaces, any case.
            print = print.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            if (ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
            var revoked = await host.Services.GetRequiredService<AgencyRepository>()
                .RevokeCertificateAsync(parse.GetValue(code)!.Trim(), print.Trim(), DateTime.UtcNow, ct);
            if (!revoked)
            {
                Console.Error.WriteLine("No active certificate with that thumbprint is registered for that body.");
                return 3;
            }
            Console.WriteLine($"Revoked certificate {print.Trim().ToLowerInvariant()}.");
            return 0;
        });
        return command;
    }

    private static Command SetConsult()
    {
        var code = new Option<string>("--code") { Description = "The body's code.", Required = true };
        var on = new Option<bool>("--on") { Description = "Grant the consulting role (GetBeneficiaryBenefits: one person's benefits across bodies)." };
        var off = new Option<bool>("--off") { Description = "Withdraw the consulting role." };
        var command = new Command("set-consult", "Grant or withdraw a registered body's consulting role; takes effect on the running register at once.")
        {
            code, on, off,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(on) == parse.GetValue(off))
            {
                Console.Error.WriteLine("Give exactly one of --on and --off.");
                return 2;
            }
            if (ConfigurationTokens(parse) is not { } configuration) return 2;
            using var host = SiussCommandLine.BuildToolHost(configuration);
            host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
            var agencies = host.Services.GetRequiredService<AgencyRepository>();
            var agencyCode = parse.GetValue(code)!.Trim();
            if (await agencies.FindAsync(agencyCode, ct) is not { } before)
            {
                Console.Error.WriteLine($"No body {agencyCode} is registered.");
                return 3;
            }
            var grant = parse.GetValue(on);
            await agencies.SetCanConsultAsync(agencyCode, grant, ct);
            // The operator's record of the change: who ran it, when, and what it was before.
            Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'} {Environment.UserName}: consulting role of {before.Code} ({before.Name}) " +
                              $"{(grant ? "granted" : "withdrawn")}; it was {(before.CanConsult ? "held" : "not held")} before.");
            return 0;
        });
        return command;
    }
}
