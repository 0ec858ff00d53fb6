using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Siuss.Host.Portale.Pages;

/// <summary>The one-time activation link: set a password and enrol a TOTP second factor.</summary>
internal sealed class AttivazioneModel(PortalAccounts accounts, PortalAudit audit) : PageModel
{
    public Enrolment? Enrolment { get; private set; }
    public string Email { get; private set; } = "";
    public string? Errore { get; private set; }
    public bool Attivato { get; private set; }

    public async Task OnGetAsync(string token)
    {
        if (await accounts.FindInvitationAsync(token, HttpContext.RequestAborted) is { } user)
        {
            Email = user.Email;
            Enrolment = accounts.Enrol(user);
        }
    }

    public async Task<IActionResult> OnPostAsync(string token, string? password, string? conferma, string? codice, string? iscrizione)
    {
        var user = await accounts.FindInvitationAsync(token, HttpContext.RequestAborted);
        if (user is null || accounts.Resume(user, iscrizione) is not { } enrolment) return Page();
        Email = user.Email;
        Enrolment = enrolment;

        if ((password ?? "").Length < PortalAccounts.MinPasswordLength)
            Errore = $"La password deve avere almeno {PortalAccounts.MinPasswordLength} caratteri.";
        else if (password != conferma)
            Errore = "Le due password non coincidono.";
        else if (!await accounts.ActivateAsync(user, token, password!, enrolment.SecretBase32, codice ?? "", HttpContext.RequestAborted))
            Errore = "Il codice dell'app non è corretto: controllare che l'ora del telefono sia esatta e riprovare.";
        if (Errore is not null) return Page();

        await audit.RecordAsync(HttpContext, "activation", "", user.Id, user.AgencyCode);
        Attivato = true;
        Enrolment = null;
        return Page();
    }
}
