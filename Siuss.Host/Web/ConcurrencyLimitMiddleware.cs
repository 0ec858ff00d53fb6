using Microsoft.Extensions.Options;
using Siuss.Contracts;
using Siuss.Service.Options;

namespace Siuss.Host.Web;

/// <summary>
/// Caps the SOAP requests being processed at once (<see cref="LimitOptions.MaxConcurrentRequests"/>). Up to
/// <see cref="LimitOptions.MaxQueuedRequests"/> more wait, in arrival order, at most <see cref="LimitOptions.QueueTimeout"/>;
/// past that a request is answered with the retryable fault <c>ServerBusy</c> (HTTP 503, Retry-After: 1), so a flood
/// costs the register little and the requests already admitted finish. It stands after <see cref="FrontDoorMiddleware"/>,
/// which has received the whole body: a slot is held while a request is processed, never while its body trickles in.
/// </summary>
public sealed class ConcurrencyLimitMiddleware(RequestDelegate next, IOptions<SiussOptions> options, ILogger<ConcurrencyLimitMiddleware> logger)
{
    private readonly int _max = options.Value.Limits.MaxConcurrentRequests;
    private readonly int _maxQueued = Math.Max(0, options.Value.Limits.MaxQueuedRequests);
    private readonly TimeSpan _queueTimeout = options.Value.Limits.QueueTimeout;
    private int _queued;
    private readonly SemaphoreSlim? _slots = options.Value.Limits.MaxConcurrentRequests > 0
        ? new SemaphoreSlim(options.Value.Limits.MaxConcurrentRequests, options.Value.Limits.MaxConcurrentRequests)
        : null;

    public async Task InvokeAsync(HttpContext context)
    {
        if (_slots is null)
        {
            await next(context);
            return;
        }
        if (!await EnterAsync(context.RequestAborted))
        {
            await SoapFault.WriteAsync(context, logger, FaultCodes.ServerBusy,
                $"The register is processing {_max} requests and has {_maxQueued} waiting; retry in a moment.");
            return;
        }
        try
        {
            await next(context);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<bool> EnterAsync(CancellationToken aborted)
    {
        if (_slots!.Wait(0)) return true;
        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }
        try
        {
            return await _slots.WaitAsync(_queueTimeout, aborted);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
    }
}
