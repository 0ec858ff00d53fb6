using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Siuss.Service;
using Siuss.Service.Rules;
using Siuss.Service.Signing;
using Siuss.Service.Storage;
using Siuss.Service.Submission;

namespace Siuss.Bench;

/// <summary>
/// The register's core without HTTP (same DI registrations as the host), in the driver's process:
/// used only to attribute the HTTP/SOAP share of a figure, never as a floor.
/// </summary>
public sealed class InProcessRegister : IDisposable
{
    private readonly ServiceProvider _services;
    public string DataDirectory { get; }

    private InProcessRegister(ServiceProvider services, string dataDirectory)
    {
        _services = services;
        DataDirectory = dataDirectory;
    }

    public static async Task<InProcessRegister> StartAsync(string code, string belfiore, X509Certificate2 certificate)
    {
        var dir = Directory.CreateTempSubdirectory("siuss-bench-inproc-").FullName;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Siuss:DataDirectory"] = dir })
            .Build();
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSiussRegister(configuration)
            .BuildServiceProvider();
        services.GetRequiredService<DatabaseMigrator>().Migrate();
        await services.GetRequiredService<BenefitCodeCatalog>().SeedAsync();
        _ = services.GetRequiredService<ReceiptSigningKey>();
        await services.GetRequiredService<AgencyRepository>().AddAsync(
            new Agency { Code = code, Name = "Ente " + code, Belfiore = belfiore, RegisteredAt = DateTime.UtcNow }, certificate, DateTime.UtcNow);
        return new InProcessRegister(services, dir);
    }

    public SubmissionService Submissions => _services.GetRequiredService<SubmissionService>();
    public RegisterDocumentSigner RegisterDocumentSigner => _services.GetRequiredService<RegisterDocumentSigner>();

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
