using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Siuss.Host.Portale;
using Siuss.Host.Web;
using Siuss.Service;
using Siuss.Service.Storage;

namespace Siuss.Host.Cli;

/// <summary>The operator's command line: <c>serve</c> (default), <c>migrate</c>, <c>agency ...</c>.</summary>
public static class SiussCommandLine
{
    /// <summary>Runs the command the arguments name; with no verb, serves.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || (args[0].StartsWith('-') && args[0] is not ("-h" or "--help" or "-?" or "--version")))
            args = ["serve", .. args];
        var root = new RootCommand("SIUSS register: receives signed welfare-benefit flows over SOAP and answers with signed receipts.")
        {
            ServeCommand(),
            MigrateCommand(),
            AgencyCommands.Create(),
            CodeCommands.Create(),
            RuleCommands.Create(),
            ReportCommands.Create(),
            AuditCommands.Create(),
            UserCommands.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }

    private static Command ServeCommand()
    {
        var serve = new Command("serve", "Run the register (default). ASP.NET options apply: --urls, ASPNETCORE_URLS, Siuss__... variables.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction(async (parse, ct) =>
        {
            var app = RegisterWebHost.Build([.. parse.UnmatchedTokens]);
            await RegisterWebHost.PrepareAsync(app.Services, ct);
            await app.RunAsync(ct);
            return 0;
        });
        return serve;
    }

    private static Command MigrateCommand()
    {
        var migrate = new Command("migrate", "Create or upgrade the database schema and seed the benefit-code table, then exit.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        migrate.SetAction(async (parse, ct) =>
        {
            using var host = BuildToolHost([.. parse.UnmatchedTokens]);
            host.Services.GetRequiredService<DatabaseMigrator>().Migrate();
            var seeded = await host.Services.GetRequiredService<Siuss.Service.Rules.BenefitCodeCatalog>().SeedAsync(ct);
            Console.WriteLine($"Database is up to date; {seeded} benefit codes seeded.");
            return 0;
        });
        return migrate;
    }

    /// <summary>A host with the register's services and configuration but no web server, for operator verbs.</summary>
    internal static IHost BuildToolHost(string[] args)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSiussRegister(builder.Configuration);
        builder.Services.AddPortaleAccounts(builder.Configuration);
        return builder.Build();
    }
}
