using Microsoft.AspNetCore.Mvc.RazorPages;
using Siuss.Contracts;
using Siuss.Service.Storage;

namespace Siuss.Host.Portale.Pages;

/// <summary>The body's receipts, filtered by date of receipt, outcome and flow name.</summary>
internal sealed class RicevuteModel(PortalReceiptRepository receipts, PortalAudit audit) : PageModel
{
    public const int PageSize = 200;
    public static readonly string[] EsitiPossibili = [Esiti.Ok, Esiti.RichiestaInvalida, Esiti.DatiNonTrovati, Esiti.ErroreGenerico];

    public DateOnly? Dal { get; private set; }
    public DateOnly? Al { get; private set; }
    public string? Esito { get; private set; }
    public string? Flusso { get; private set; }
    public IReadOnlyList<ReceiptSummary> Ricevute { get; private set; } = [];

    public async Task OnGetAsync(DateOnly? dal, DateOnly? al, string? esito, string? flusso)
    {
        (Dal, Al, Flusso) = (dal, al, flusso?.Length > 100 ? flusso[..100] : flusso);
        Esito = EsitiPossibili.Contains(esito) ? esito : null;
        var filter = new ReceiptFilter(
            dal?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), al?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), Esito, Flusso);
        Ricevute = await receipts.SearchAsync(PortaleClaims.Of(User, PortaleClaims.Ente)!, filter, PageSize, HttpContext.RequestAborted);
        await audit.RecordAsync(HttpContext, "receipts", $"{Ricevute.Count} listed");
    }
}
