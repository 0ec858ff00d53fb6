using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Siuss.Tests.Support;

/// <summary>
/// A register that processes SubmitFlow normally (the flow is committed) but holds the answer back for a while before
/// writing it: the window in which a client killed with SIGKILL leaves a flow stored at the register without its receipt.
/// </summary>
public sealed class HoldSubmitAnswers(TimeSpan hold) : IStartupFilter
{
    /// <inheritdoc />
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, inner) =>
        {
            if (!context.Request.Headers["SOAPAction"].ToString().Contains("SubmitFlow", StringComparison.Ordinal))
            {
                await inner(context);
                return;
            }
            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try { await inner(context); }
            finally { context.Response.Body = original; }
            await Task.Delay(hold);
            buffer.Position = 0;
            await buffer.CopyToAsync(original);
        });
        next(app);
    };
}
