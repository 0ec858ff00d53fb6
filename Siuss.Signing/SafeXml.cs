using System.Xml;

namespace Siuss.Signing;

/// <summary>Loads untrusted XML with DTDs prohibited, no resolver and a size cap.</summary>
public static class SafeXml
{
    /// <summary>Reader settings for untrusted input: no DTD, no external resources, bounded size.</summary>
    public static XmlReaderSettings ReaderSettings(long maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 0,
        IgnoreProcessingInstructions = false,
        CloseInput = false,
    };

    /// <summary>
    /// Parses a small signed document into a DOM that keeps whitespace (signatures depend on it).
    /// Throws <see cref="UnsafeXmlException"/> for DTDs and <see cref="XmlException"/> for malformed input.
    /// </summary>
    public static XmlDocument LoadDocument(byte[] bytes, long maxCharacters = 1_000_000)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var stream = new MemoryStream(bytes, writable: false);
        using var reader = XmlReader.Create(stream, ReaderSettings(maxCharacters));
        try
        {
            document.Load(reader);
        }
        catch (XmlException e) when (IsDtdRefusal(e))
        {
            throw new UnsafeXmlException("The document carries a DTD, which is prohibited.", e);
        }
        return document;
    }

    /// <summary>True when an XmlException is the reader refusing a DTD (it has no dedicated type; the message is the only discriminator).</summary>
    public static bool IsDtdRefusal(XmlException e) =>
        e.Message.Contains("DTD", StringComparison.Ordinal) || e.Message.Contains("DOCTYPE", StringComparison.Ordinal);
}

/// <summary>Raised when untrusted XML tries to use a prohibited feature (DTD, entities).</summary>
public sealed class UnsafeXmlException(string message, Exception inner) : Exception(message, inner);
