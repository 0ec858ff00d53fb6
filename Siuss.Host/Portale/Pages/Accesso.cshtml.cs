using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Siuss.Host.Portale.Pages;

/// <summary>Login with both factors: password and TOTP code, every time.</summary>
internal sealed class AccessoModel(PortalAccounts accounts, PortalAudit audit, ILogger<AccessoModel> logger) : PageModel
{
    public string? Errore { get; private set; }
    public string Email { get; private set; } = "";
    public string Ritorno { get; private set; } = "";
    public bool Scaduta { get; private set; }

    public void OnGet(string? ritorno, bool scaduta = false)
    {
        Ritorno = LocalReturn(ritorno);
        Scaduta = scaduta;
    }

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? codice, string? ritorno)
    {
        Email = email ?? "";
        Ritorno = LocalReturn(ritorno);
        var (outcome, user) = await accounts.LoginAsync(email ?? "", password ?? "", codice ?? "", HttpContext.RequestAborted);
        if (outcome != LoginOutcome.Success || user is null)
        {
            PortaleLog.LoginRefused(logger, outcome.ToString(), user?.Id, PortalAudit.CorrelationId(HttpContext));
            await audit.RecordAsync(HttpContext, outcome == LoginOutcome.Locked ? "login-locked" : "login-refused", "", user?.Id, user?.AgencyCode);
            Errore = outcome == LoginOutcome.Locked
                ? "Account bloccato temporaneamente per troppi tentativi errati. Riprovare più tardi."
                : "Credenziali non valide: controllare email, password e codice.";
            return Page();
        }

        var session = Guid.NewGuid().ToString("N");
        var identity = new ClaimsIdentity(
        [
            new Claim(PortaleClaims.UserId, user.Id),
            new Claim(PortaleClaims.Ente, user.AgencyCode),
            new Claim(PortaleClaims.Session, session),
        ], CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
        await audit.RecordAsync(HttpContext, "login", "", user.Id, user.AgencyCode, session);
        return LocalRedirect(Ritorno);
    }

    // Only a path of this channel: never an open redirect.
    private static string LocalReturn(string? ritorno) =>
        ritorno is { Length: > 0 } r && r.StartsWith(PortaleWebHost.BasePath + "/", StringComparison.Ordinal) && !r.StartsWith("//") && !r.Contains('\\')
            ? r : PortaleWebHost.BasePath + "/";
}
