using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Siuss.Client;
using Siuss.Host.Web;
using Siuss.Service.Storage;

namespace Siuss.Tests.Support;

/// <summary>A real register host on loopback with its own database (a SQLite file by default) and data folder, torn down after use.</summary>
public sealed class RunningRegister : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningRegister(WebApplication app, string dataDirectory, Uri baseAddress, IDictionary<string, string> databaseSettings)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        DatabaseSettings = databaseSettings;
    }

    /// <summary>The configuration keys naming the register's database (none for its own SQLite file).</summary>
    public IDictionary<string, string> DatabaseSettings { get; }

    /// <summary>What an operator process started on this register's data needs on its command line: the data folder and the database.</summary>
    public IEnumerable<string> OperatorArguments =>
        DatabaseSettings.Select(s => $"--{s.Key}={s.Value}").Prepend($"--Siuss:DataDirectory={DataDirectory}");

    /// <summary>The data folder (SQLite file, receipt key).</summary>
    public string DataDirectory { get; }
    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseAddress { get; }
    /// <summary>The SOAP endpoint.</summary>
    public Uri Endpoint => new(BaseAddress, "AssistanceRecord.svc");
    /// <summary>The host's services, for looking into the database.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a register on a fresh database of <paramref name="engine"/> (<see cref="TestDatabases"/>);
    /// <paramref name="settings"/> are extra configuration keys (e.g. Siuss:Limits:MaxRequestBytes).
    /// </summary>
    public static async Task<RunningRegister> StartAsync(IDictionary<string, string>? settings = null, Action<WebApplicationBuilder>? configure = null,
        string engine = TestDatabases.Sqlite)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("siuss-test-").FullName;
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            $"--Siuss:DataDirectory={dataDirectory}",
            "--Logging:LogLevel:Default=Warning",
        };
        var database = TestDatabases.Settings(engine);
        foreach (var (key, value) in database.Concat(settings ?? new Dictionary<string, string>()))
            args.Add($"--{key}={value}");
        var app = RegisterWebHost.Build([.. args], configure);
        await RegisterWebHost.PrepareAsync(app.Services);
        await app.StartAsync();
        var address = app.Urls.First().TrimEnd('/') + "/";
        return new RunningRegister(app, dataDirectory, new Uri(address), database);
    }

    /// <summary>Registers a paying body and pins its certificate, as the operator's 'agency add' does.</summary>
    public Task RegisterAgencyAsync(string code, X509Certificate2? certificate, string belfiore = "H501", string name = "Comune di prova") =>
        Services.GetRequiredService<AgencyRepository>().AddAsync(
            new Agency { Code = code, Name = name, Belfiore = belfiore, RegisteredAt = DateTime.UtcNow }, certificate, DateTime.UtcNow);

    /// <summary>Downloads the register's published receipt certificate over HTTP.</summary>
    public async Task<X509Certificate2> DownloadReceiptCertificateAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var pem = await http.GetStringAsync("receipt-certificate.pem");
        return X509Certificate2.CreateFromPem(pem);
    }

    /// <summary>A WCF client on this register.</summary>
    public RegisterClient NewClient() => new(Endpoint);

    /// <summary>Runs a scalar query against the register's database.</summary>
    public async Task<long> CountAsync(string sql, object? parameters = null)
    {
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { /* a file still held open; the temp folder is cleaned by the OS */ }
    }
}
