using System.Xml;

namespace Siuss.Host.Web;

/// <summary>
/// Moves an <see cref="XmlReader"/> on with its async methods when it was created with <c>Async = true</c> (over a
/// request body still arriving), and with the synchronous ones otherwise (over a body already in memory), so the same
/// reading code serves both: an async reader allocates a 64 KB character buffer the synchronous one does not need.
/// </summary>
public static class XmlReaderSteps
{
    /// <summary>Reads the next node, as <see cref="XmlReader.ReadAsync"/> or <see cref="XmlReader.Read"/>.</summary>
    public static Task<bool> NextAsync(XmlReader reader) =>
        IsAsync(reader) ? reader.ReadAsync() : Task.FromResult(reader.Read());

    /// <summary>Reads a chunk of the current text node, as <see cref="XmlReader.ReadValueChunkAsync"/> or <see cref="XmlReader.ReadValueChunk"/>.</summary>
    public static async ValueTask<int> ValueChunkAsync(XmlReader reader, char[] buffer, int index, int count) =>
        IsAsync(reader) ? await reader.ReadValueChunkAsync(buffer, index, count) : reader.ReadValueChunk(buffer, index, count);

    private static bool IsAsync(XmlReader reader) => reader.Settings?.Async != false;
}
