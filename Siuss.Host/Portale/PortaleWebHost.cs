using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Siuss.Service.Options;
using Siuss.Service.Storage;

namespace Siuss.Host.Portale;

/// <summary>
/// The web channel (<c>/portale/</c>): Razor Pages in <c>Portale/Pages</c>, cookie sessions with an idle timeout,
/// antiforgery on every form, Bootstrap Italia served from <c>/portale/static/</c>. Nothing else of the register
/// changes: the SOAP endpoint stays anonymous and signature-authenticated.
/// </summary>
public static class PortaleWebHost
{
    /// <summary>Where every page lives.</summary>
    public const string BasePath = "/portale";
    /// <summary>The static files (Bootstrap Italia, the channel's own stylesheet).</summary>
    public const string StaticPath = BasePath + "/static";
    /// <summary>The login page; anonymous visitors of any other page are sent here.</summary>
    public const string LoginPath = BasePath + "/accesso";

    private const string SessionCookie = "siuss-portale";
    private const string AntiforgeryCookie = "siuss-portale-af";

    /// <summary>Registers the channel's services: pages, authentication, antiforgery, and the accounts.</summary>
    public static void AddPortale(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddPortaleAccounts(builder.Configuration);
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Portale/Pages";
            options.Conventions.AuthorizeFolder("/");
            options.Conventions.AllowAnonymousToPage("/Accesso");
            options.Conventions.AllowAnonymousToPage("/Attivazione");
        }).ConfigureApplicationPartManager(parts =>
        {
            // The pages are compiled into this assembly; name it, since the entry assembly is not always this one (tests, tools).
            var assembly = typeof(PortaleWebHost).Assembly;
            // Through its factory: that yields the compiled Razor pages as well as the assembly's types.
            if (!parts.ApplicationParts.Any(p => p.Name == assembly.GetName().Name))
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    parts.ApplicationParts.Add(part);
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = AntiforgeryCookie;
            options.Cookie.Path = BasePath;
            // Antiforgery refuses to run at all on plain HTTP with Always, which would break the loopback default
            // (http://127.0.0.1:5080); the cookie policy below marks this cookie Secure on every response anyway.
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<PortaleOptions>, TimeProvider>((cookie, portale, clock) =>
            {
                cookie.Cookie.Name = SessionCookie;
                cookie.Cookie.Path = BasePath;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.IsEssential = true;
                cookie.LoginPath = LoginPath;
                cookie.LogoutPath = BasePath + "/esci";
                cookie.AccessDeniedPath = LoginPath;
                cookie.ReturnUrlParameter = "ritorno";
                cookie.ExpireTimeSpan = portale.Value.IdleTimeout;
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = StillAllowedAsync;
                cookie.TimeProvider = clock; // the register's clock: the idle timeout is testable without waiting
            });
        services.AddAuthorization();
    }

    /// <summary>Adds the channel to the pipeline: its security headers, static files, authentication, authorization and pages.</summary>
    public static void UsePortale(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(BasePath))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy =
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; script-src 'self'; " +
                    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer"; // activation links carry their token in the path
                if (!context.Request.Path.StartsWithSegments(StaticPath)) headers.CacheControl = "no-store";
            }
            await next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = StaticPath,
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "Portale", "wwwroot")),
            ServeUnknownFileTypes = false,
        });
        // Every cookie the register sets (only the channel sets any) is Secure, HttpOnly and SameSite=Strict, whatever
        // the request's scheme: off loopback a browser keeps no session over plain HTTP, so the channel needs TLS there.
        app.UseCookiePolicy(new CookiePolicyOptions
        {
            Secure = CookieSecurePolicy.Always,
            HttpOnly = Microsoft.AspNetCore.CookiePolicy.HttpOnlyPolicy.Always,
            MinimumSameSitePolicy = SameSiteMode.Strict,
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
    }

    /// <summary>
    /// The accounts and their audit, with the options and data-protection keys they need: the web host and the operator
    /// verbs (<c>user ...</c>) share them.
    /// </summary>
    internal static void AddPortaleAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortaleOptions>().BindConfiguration(PortaleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (services.All(d => d.ServiceType != typeof(RandomNumberGenerator)))
            services.AddSingleton(_ => RandomNumberGenerator.Create());
        services.AddSingleton<PortalAccounts>();
        services.AddSingleton<PortalAudit>();

        // Keys in the data folder: sessions and protected TOTP secrets survive a restart.
        var dataDirectory = configuration.GetSection(SiussOptions.Section).Get<SiussOptions>()?.DataDirectoryFullPath ?? Path.GetFullPath("data");
        services.AddDataProtection()
            .SetApplicationName("Siuss.Portale")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "portale-keys")));
    }

    // A disabled account's sessions end at their next request, not when their cookie expires.
    private static async Task StillAllowedAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal is { } principal ? PortaleClaims.Of(principal, PortaleClaims.UserId) : null;
        var user = id is null ? null : await context.HttpContext.RequestServices.GetRequiredService<PortalUserRepository>().FindByIdAsync(id);
        if (user is null || user.DisabledAt is not null || !user.IsActive
            || user.AgencyCode != PortaleClaims.Of(context.Principal!, PortaleClaims.Ente))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
