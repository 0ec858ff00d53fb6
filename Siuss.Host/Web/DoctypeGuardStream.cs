namespace Siuss.Host.Web;

/// <summary>
/// Wraps a request body and refuses a SOAP message that carries a document type declaration (SOAP 1.1
/// forbids them, and SoapCore's reader would expand their entities). It watches only the prolog -
/// the bytes before the first element - so the cost is a few bytes per request, and never buffers.
/// Non-UTF-8 bodies (UTF-16 byte order marks or NUL bytes in the prolog) are refused the same way.
/// </summary>
public sealed class DoctypeGuardStream(Stream inner) : Stream
{
    private static readonly byte[] Doctype = "<!DOCTYPE"u8.ToArray();
    private readonly byte[] _carry = new byte[Doctype.Length - 1];
    private int _carryLength;
    private bool _prologDone;
    private long _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken);
        Inspect(buffer.Span[..read]);
        return read;
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await ReadAsync(buffer.AsMemory(offset, count), cancellationToken);

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read = inner.Read(buffer, offset, count);
        Inspect(buffer.AsSpan(offset, read));
        return read;
    }

    private void Inspect(ReadOnlySpan<byte> chunk)
    {
        if (_prologDone || chunk.IsEmpty) return;
        if (_position == 0 && chunk.Length >= 2 && (chunk[0] == 0xFF && chunk[1] == 0xFE || chunk[0] == 0xFE && chunk[1] == 0xFF))
            throw new ProhibitedXmlException("Only UTF-8 SOAP messages are accepted.", dtd: false);

        // Look at the carried tail of the previous chunk plus this chunk, so a split "<!DOC" + "TYPE" is seen.
        Span<byte> window = stackalloc byte[_carry.Length + Math.Min(chunk.Length, 4096)];
        _carry.AsSpan(0, _carryLength).CopyTo(window);
        chunk[..Math.Min(chunk.Length, 4096)].CopyTo(window[_carryLength..]);

        for (int i = 0; i < window.Length; i++)
        {
            byte b = window[i];
            if (b == 0) throw new ProhibitedXmlException("Only UTF-8 SOAP messages are accepted.", dtd: false);
            if (b != (byte)'<' || i + 1 >= window.Length) continue;
            byte next = window[i + 1];
            if (next != (byte)'?' && next != (byte)'!')
            {
                _prologDone = true; // the root element starts: a DOCTYPE can no longer appear
                return;
            }
            if (window[i..].StartsWith(Doctype))
                throw new ProhibitedXmlException("SOAP messages must not carry a document type declaration.", dtd: true);
        }
        _position += chunk.Length;
        if (chunk.Length > 4096) return; // a prolog longer than 4 KiB is left to the XML reader to refuse
        int keep = Math.Min(_carry.Length, window.Length);
        window[^keep..].CopyTo(_carry);
        _carryLength = keep;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Raised while reading a request body that uses a prohibited XML feature.</summary>
public sealed class ProhibitedXmlException(string message, bool dtd) : Exception(message)
{
    /// <summary>True for a DTD, false for an unsupported encoding.</summary>
    public bool IsDtd { get; } = dtd;
}
