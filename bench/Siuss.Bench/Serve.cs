using System.Runtime;
using System.Security.Cryptography.X509Certificates;
using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Siuss.Host.Web;
using Siuss.Service.Storage;
using SoapCore;

namespace Siuss.Bench;

/// <summary>
/// The child process: the product's own web host (<see cref="RegisterWebHost.Build"/>), plus - for the
/// benchmark only - a no-op SoapCore endpoint at <c>/Noop.svc</c> with the same endpoint settings, the
/// framework floor. Talks to the driver over stdin/stdout.
/// </summary>
public static class Serve
{
    public const string NoopPath = "/Noop.svc";
    /// <summary>Reads the request body to its end and answers 200 empty: what receiving the bytes costs, the memory floor.</summary>
    public const string DrainPath = "/Drain.svc";

    public static async Task<int> RunAsync(string[] args)
    {
        string dataDirectory = Arg(args, "--data") ?? throw new ArgumentException("--data is required");
        int noopResponseBytes = int.Parse(Arg(args, "--noop-response-bytes") ?? "2048");
        var hostArgs = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            $"--Siuss:DataDirectory={dataDirectory}",
            // Per-request Information logs are off, as in the tests: the figure is the pipeline's.
            "--Logging:LogLevel:Default=Warning",
        };
        hostArgs.AddRange(args.Where(a => a.StartsWith("--Siuss:", StringComparison.Ordinal)));

        var app = RegisterWebHost.Build([.. hostArgs], builder =>
        {
            builder.Services.AddSingleton<INoopService>(new NoopService(new byte[noopResponseBytes]));
            builder.Services.AddTransient<IStartupFilter, NoopEndpointFilter>();
        });
        await RegisterWebHost.PrepareAsync(app.Services);

        foreach (var spec in args.Where(a => a.StartsWith("--agency=", StringComparison.Ordinal)))
        {
            // --agency=CODE,BELFIORE,path/to/cert.pem
            var parts = spec["--agency=".Length..].Split(',', 3);
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(parts[2]));
            await app.Services.GetRequiredService<AgencyRepository>().AddAsync(
                new Agency { Code = parts[0], Name = "Ente " + parts[0], Belfiore = parts[1], RegisteredAt = DateTime.UtcNow },
                certificate, DateTime.UtcNow);
        }

        await app.StartAsync();
        Console.WriteLine($"READY {app.Urls.First()} pid={Environment.ProcessId} gcServer={GCSettings.IsServerGC} gcConcurrent={GCSettings.LatencyMode != GCLatencyMode.Batch}");
        string? line;
        while ((line = Console.ReadLine()) is not null)
        {
            if (line == "quit") break;
            if (line == "gc")
            {
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                Console.WriteLine("OK gc");
            }
            else if (line == "stats")
                Console.WriteLine($"STATS {GC.GetTotalAllocatedBytes(precise: false)} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)} {(long)GC.GetTotalPauseDuration().TotalMicroseconds}");
            else Console.WriteLine("ERR unknown command " + line);
        }
        await app.StopAsync();
        await app.DisposeAsync();
        return 0;
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Maps the floors /Noop.svc and /Drain.svc beside the application's pipeline (its front door answers only the register's routes).</summary>
    private sealed class NoopEndpointFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Server-side time of each request, for attributing client-side latency (bench only).
            app.Use(async (context, nextMiddleware) =>
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers["X-Bench-Server-Ms"] =
                        System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
                    return Task.CompletedTask;
                });
                await nextMiddleware(context);
            });
            // The floors are branched off before the application's pipeline: the register's front door serves only its
            // own allow-list (issue 14), so they no longer cross its middleware - the floors are a little lighter than
            // before, which makes the register's ratios to them conservative.
            app.MapWhen(context => context.Request.Path == DrainPath, drain => drain.Run(async context =>
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
                context.Response.StatusCode = StatusCodes.Status200OK;
            }));
            // The same endpoint settings as the product's.
            app.MapWhen(context => context.Request.Path == NoopPath,
                noop => noop.UseSoapEndpoint<INoopService>(options => RegisterWebHost.ConfigureSoapEndpoint(options, NoopPath)));
            next(app);
        };
    }
}

/// <summary>The framework floor: a SOAP operation with SubmitFlow's message shape that does nothing.</summary>
[ServiceContract(Name = "Noop", Namespace = NoopService.Namespace)]
[XmlSerializerFormat(Style = OperationFormatStyle.Document, Use = OperationFormatUse.Literal)]
public interface INoopService
{
    [OperationContract(Name = "Noop", Action = NoopService.Namespace + "/Noop", ReplyAction = NoopService.Namespace + "/NoopResponse")]
    Task<NoopResponse> NoopAsync(NoopRequest request);
}

[MessageContract(WrapperName = "Noop", WrapperNamespace = NoopService.Namespace, IsWrapped = true)]
public sealed class NoopRequest
{
    [MessageBodyMember(Namespace = NoopService.Namespace, Order = 0)]
    public byte[]? Trasmissione { get; set; }

    [MessageBodyMember(Namespace = NoopService.Namespace, Order = 1)]
    public byte[]? Flusso { get; set; }
}

[MessageContract(WrapperName = "NoopResponse", WrapperNamespace = NoopService.Namespace, IsWrapped = true)]
public sealed class NoopResponse
{
    [MessageBodyMember(Namespace = NoopService.Namespace, Order = 0)]
    public byte[]? Ricevuta { get; set; }
}

/// <summary>Answers with a fixed payload the size of a one-record receipt; touches nothing.</summary>
public sealed class NoopService(byte[] response) : INoopService
{
    public const string Namespace = "urn:siuss:bench:noop";
    public Task<NoopResponse> NoopAsync(NoopRequest request) => Task.FromResult(new NoopResponse { Ricevuta = response });
}
