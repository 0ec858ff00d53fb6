using System.ServiceModel.Channels;
using System.Xml;
using Microsoft.Extensions.Options;
using Siuss.Contracts;
using Siuss.Host.Portale;
using Siuss.Service;
using Siuss.Service.Options;
using Siuss.Service.Rules;
using Siuss.Service.Signing;
using Siuss.Service.Storage;
using SoapCore;

namespace Siuss.Host.Web;

/// <summary>Composes the register's web host: SoapCore endpoint, contract files, certificate download.</summary>
public static class RegisterWebHost
{
    /// <summary>Builds the web application; configuration comes from appsettings.json, the environment and <paramref name="args"/>.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddSiussRegister(builder.Configuration);
        builder.Services.AddSoapCore();
        builder.Services.AddSingleton<SoapCore.Extensibility.IFaultExceptionTransformer, SoapFaultTransformer>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<IAssistanceRecordService, AssistanceRecordEndpoint>();
        builder.Services.AddSingleton<Siuss.Service.Submission.BodyRateLimiter>();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var limits = context.Configuration.GetSection(SiussOptions.Section).Get<SiussOptions>()?.Limits ?? new LimitOptions();
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBytes;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = 0;
            // One request at a time per HTTP/1.1 connection by the protocol; the same bound for HTTP/2 (TLS deployments).
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1;
        });
        builder.Services.AddOptions<SiussOptions>().Validate(o => o.Limits.RequestBodyTimeout > TimeSpan.Zero
                && o.Limits.RequestHeadersTimeout > TimeSpan.Zero && o.Limits.MaxRequestsPerClient >= 0 && o.Limits.MaxConnections > 0
                && o.Limits.MaxRequestBytes > 0,
            "Siuss:Limits: RequestBodyTimeout, RequestHeadersTimeout, MaxConnections and MaxRequestBytes must be positive, MaxRequestsPerClient zero or more.")
            .ValidateOnStart();
        builder.AddPortale();
        configure?.Invoke(builder);

        var app = builder.Build();
        // The front door first: nothing after it sees a request off the allow-list or a body not yet whole.
        app.UseMiddleware<FrontDoorMiddleware>();
        // Past the front door a POST is a SOAP request to the service path with its whole body: every one takes a slot
        // and meets the envelope rules (the fast path's or the guard's) before anything runs it.
        app.UseWhen(context => HttpMethods.IsPost(context.Request.Method) && !FrontDoorRoutes.IsPortale(context), soap => soap
            .UseMiddleware<ConcurrencyLimitMiddleware>()
            .UseMiddleware<SubmitFlowFastPath>()
            .UseMiddleware<EnvelopeGuardMiddleware>());
        app.UseMiddleware<WsdlMiddleware>();
        app.UsePortale();
        app.MapGet("/receipt-certificate.pem", (ReceiptSigningKey key) =>
            Results.Text(key.CertificatePem, "application/x-pem-file"));
        app.MapGet("/rules.md", () => Results.Text(RuleCatalogueDocument.Render(), "text/markdown; charset=utf-8"));
        app.MapGet("/health", () => Results.Text("ok"));
        // SoapCore 1.2.1.18 reads each request with XDocument.LoadAsync (ParsedMessage.FromStreamAsync), whose reader
        // System.Xml.Linq fixes at DtdProcessing.Parse: it expands internal entities (SoapCoreReaderTests pins this). No
        // option or hook reaches that reader (its encoders are built inside the middleware, ReadMessageAsync is not
        // virtual, filters and processors get the message already parsed). So no request reaches it unless the register's
        // reader (EnvelopeRules.CreateReader: DtdProcessing.Prohibit, no resolver, strict UTF-8, so SoapCore decodes the
        // same text) has read the same complete bytes without a fault: every POST passes the fast path or the guard above.
        ((IApplicationBuilder)app).UseSoapEndpoint<IAssistanceRecordService>(options => ConfigureSoapEndpoint(options, WsdlMiddleware.ServicePath));
        return app;
    }

    /// <summary>
    /// The SoapCore settings of the register's endpoint: SOAP 1.1, XmlSerializer, room for large base64 payloads. SoapCore
    /// 1.2.1.18 keeps the reader quotas but does not apply them when reading a request; the envelope's depth and size are
    /// bounded by <see cref="EnvelopeRules"/> and the edge instead.
    /// </summary>
    public static void ConfigureSoapEndpoint(SoapCoreOptions options, string path)
    {
        options.Path = path;
        options.SoapSerializer = SoapSerializer.XmlSerializer;
        options.HttpGetEnabled = false;
        options.HttpsGetEnabled = false;
        options.EncoderOptions =
        [
            new SoapEncoderOptions
            {
                MessageVersion = MessageVersion.Soap11,
                WriteEncoding = new System.Text.UTF8Encoding(false),
                ReaderQuotas = new XmlDictionaryReaderQuotas
                {
                    MaxDepth = 32,
                    MaxArrayLength = int.MaxValue,
                    MaxStringContentLength = int.MaxValue,
                    MaxBytesPerRead = 64 * 1024,
                    MaxNameTableCharCount = 64 * 1024,
                },
            },
        ];
    }

    /// <summary>Creates or upgrades the schema, seeds the code table and loads the receipt key: everything serve needs before listening.</summary>
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken ct = default)
    {
        services.GetRequiredService<DatabaseMigrator>().Migrate();
        await services.GetRequiredService<BenefitCodeCatalog>().SeedAsync(ct);
        _ = services.GetRequiredService<ReceiptSigningKey>();
        Siuss.Service.Submission.SignedDocumentReader.CompileSchemas();
        _ = Siuss.Service.Flows.FlowSchemas.PsPsaSina;
        _ = Siuss.Service.Flows.FlowSchemas.Sinba;
        var options = services.GetRequiredService<IOptions<SiussOptions>>().Value;
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RegisterWebHost))
            .LogInformation("SIUSS register ready: database {Provider}, data folder {DataDirectory}", options.Database.Provider, options.DataDirectoryFullPath);
    }
}
