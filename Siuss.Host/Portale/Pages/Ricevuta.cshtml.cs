using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Siuss.Client;
using Siuss.Contracts.Documents;
using Siuss.Service.Signing;
using Siuss.Service.Storage;

namespace Siuss.Host.Portale.Pages;

/// <summary>One receipt of the operator's body, with per-record outcomes, and its signed XML. Another body's id is a 404.</summary>
internal sealed class RicevutaModel(PortalReceiptRepository receipts, ReceiptSigningKey receiptKey, PortalAudit audit) : PageModel
{
    public string Id { get; private set; } = "";
    public Ricevuta? Ricevuta { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (await FindAsync(id) is not { } bytes) return NotFound();
        Ricevuta = ReceiptVerifier.Verify(bytes, receiptKey.Certificate).Ricevuta;
        await audit.RecordAsync(HttpContext, "receipt", id);
        return Page();
    }

    /// <summary><c>/portale/ricevute/{id}/xml</c>: the signed receipt exactly as stored.</summary>
    public async Task<IActionResult> OnGetXmlAsync(string id)
    {
        if (await FindAsync(id) is not { } bytes) return NotFound();
        await audit.RecordAsync(HttpContext, "receipt-download", id);
        return File(bytes, "application/xml", $"ricevuta-{id}.xml");
    }

    private async Task<byte[]?> FindAsync(string id)
    {
        Id = id;
        if (id.Length > 64) return null;
        return await receipts.FindAsync(PortaleClaims.Of(User, PortaleClaims.Ente)!, id, HttpContext.RequestAborted);
    }
}
