using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Siuss.Client;
using Siuss.Contracts.Documents;
using Siuss.Host.Web;
using Siuss.Service.Signing;
using Siuss.Service.Submission;

namespace Siuss.Host.Portale.Pages;

/// <summary>The outcome of one uploaded file: its receipt, or the fault that stopped it before a receipt.</summary>
internal sealed record FileOutcome(string File, Ricevuta? Ricevuta, string? Id, string? CodiceErrore, string? Messaggio);

/// <summary>Upload of one or more flow files, each through the same pipeline as SubmitFlow (<see cref="SubmissionService.SubmitFromWebAsync"/>).</summary>
internal sealed class InvioModel(SubmissionService submissions, ReceiptSigningKey receiptKey, PortalAudit audit, IOptions<PortaleOptions> options) : PageModel
{
    public int MaxFiles => options.Value.MaxFilesPerUpload;
    public List<FileOutcome> Esiti { get; } = [];
    public string? Errore { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(List<IFormFile> flussi)
    {
        if (flussi.Count == 0) Errore = "Selezionare almeno un file.";
        else if (flussi.Count > MaxFiles) Errore = $"Al massimo {MaxFiles} file per invio.";
        if (Errore is not null) return Page();

        var upload = new WebUpload(
            PortaleClaims.Of(User, PortaleClaims.Ente)!, PortaleClaims.Of(User, PortaleClaims.UserId)!, PortaleClaims.Of(User, PortaleClaims.Session)!);
        var correlationId = PortalAudit.CorrelationId(HttpContext);
        foreach (var file in flussi)
        {
            var name = Path.GetFileName(file.FileName);
            try
            {
                await using var flow = await FlowSpool.ReceiveAsync(file.OpenReadStream(), HttpContext.RequestAborted);
                var bytes = await submissions.SubmitFromWebAsync(upload, flow, correlationId, HttpContext.RequestAborted);
                var ricevuta = ReceiptVerifier.Verify(bytes, receiptKey.Certificate).Ricevuta;
                Esiti.Add(new FileOutcome(name, ricevuta, ricevuta.IdAcquisizione ?? ricevuta.IdMessaggio, null, null));
                await audit.RecordAsync(HttpContext, "upload", $"{ricevuta.IdMessaggio} {ricevuta.Esito}");
            }
            catch (RegisterFaultException e)
            {
                Esiti.Add(new FileOutcome(name, null, null, e.Code, e.Message));
                await audit.RecordAsync(HttpContext, "upload", $"fault {e.Code}");
            }
        }
        return Page();
    }
}
