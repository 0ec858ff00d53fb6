using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Siuss.Host.Portale.Pages;

/// <summary>Logout: a POST (with antiforgery), never a GET a link or an image could trigger.</summary>
internal sealed class EsciModel(PortalAudit audit) : PageModel
{
    public IActionResult OnGet() => NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        await audit.RecordAsync(HttpContext, "logout", "");
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect(PortaleWebHost.LoginPath);
    }
}
