using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Siuss.Service.Flows;

namespace Siuss.Host.Web;

/// <summary>
/// Receives a flow from the request: hashes it and counts it while it is decoded, and keeps its bytes in a
/// <see cref="FileBufferingReadStream"/> - in pooled memory while small, in a temporary file deleted on close once
/// larger - so the pipeline can read it again from the start without the flow ever being one array in memory.
/// </summary>
public static class FlowSpool
{
    /// <summary>Flows up to this size stay in memory (the cooperative channel's one-record flows are a few KB).</summary>
    public const int MemoryThreshold = 256 * 1024;

    /// <summary>Where bodies and flows too large for memory wait: ASPNETCORE_TEMP, else the system temporary folder.</summary>
    internal static readonly string TempDirectory =
        Environment.GetEnvironmentVariable("ASPNETCORE_TEMP") is { Length: > 0 } configured ? configured : Path.GetTempPath();

    /// <summary>Reads <paramref name="content"/> to its end; the returned flow owns the spool.</summary>
    public static async Task<ReceivedFlow> ReceiveAsync(Stream content, CancellationToken ct)
    {
        var spool = new FileBufferingReadStream(content, MemoryThreshold, bufferLimit: null, () => TempDirectory, ArrayPool<byte>.Shared);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
            long length = 0;
            try
            {
                int read;
                while ((read = await spool.ReadAsync(buffer.AsMemory(), ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    length += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            spool.Position = 0;
            return new ReceivedFlow(spool, length, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }
}
