using System.Buffers;
using System.Xml;

namespace Siuss.Host.Web;

/// <summary>
/// The decoded bytes of one element's base64 text, read from an <see cref="XmlReader"/> a chunk at a time, so a
/// payload of any size is never held as one string or one array. Decoding is as strict as
/// <see cref="Convert.FromBase64String(string)"/> (what XmlSerializer applies): whitespace and line breaks anywhere are
/// skipped, padding only at the very end, and the length must be whole quanta (XmlReader.ReadContentAsBase64 accepts
/// truncated text, so it is not used). Created with the reader on the element's start tag; when the stream ends, the
/// reader is on the first node after the text (normally the end tag), not yet checked. Its buffers (~50 KB) are
/// rented from <see cref="ArrayPool{T}.Shared"/>, as every request makes two of these: dispose it to give them back.
/// </summary>
public sealed class Base64ContentStream : Stream
{
    // Chars of base64 (whitespace removed) held until they are known not to be the final quantum.
    private const int PendingChars = 16 * 1024;
    private readonly XmlReader _reader;
    private readonly string _name;
    private const int ChunkChars = 4096;
    private char[] _chunk = ArrayPool<char>.Shared.Rent(ChunkChars);
    private char[] _pending = ArrayPool<char>.Shared.Rent(PendingChars);
    private byte[] _decoded = ArrayPool<byte>.Shared.Rent(PendingChars / 4 * 3);
    private int _pendingCount, _decodedOffset, _decodedCount;
    private bool _started, _textDone, _finished;

    /// <summary>Reads the content of the element the reader is on; <paramref name="name"/> names it in errors.</summary>
    public Base64ContentStream(XmlReader reader, string name)
    {
        _reader = reader;
        _name = name;
        // An empty element has no content, and the reader already stands on the node the caller checked.
        _finished = _textDone = reader.IsEmptyElement;
        ConsumedReader = !reader.IsEmptyElement;
    }

    /// <summary>True when reading moved the reader past the start tag: the caller must check the node it now stands on.</summary>
    public bool ConsumedReader { get; }

    /// <summary>Decoded bytes handed out so far.</summary>
    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_decodedCount == 0 && !_finished)
            await FillAsync(cancellationToken);
        int n = Math.Min(buffer.Length, _decodedCount);
        _decoded.AsMemory(_decodedOffset, n).CopyTo(buffer);
        _decodedOffset += n;
        _decodedCount -= n;
        BytesRead += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Kestrel forbids synchronous reads of the request body, and the reader is async.
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Base64ContentStream is read asynchronously.");

    private async Task FillAsync(CancellationToken ct)
    {
        _decodedOffset = 0;
        int read = await NextCharsAsync(ct);
        if (read == 0)
        {
            Decode(_pendingCount, final: true);
            _finished = true;
            return;
        }
        foreach (char c in _chunk.AsSpan(0, read))
        {
            if (c is ' ' or '\t' or '\r' or '\n') continue;
            _pending[_pendingCount++] = c;
            if (_pendingCount == PendingChars)
            {
                // Keep the last quantum back: only the final one may carry padding.
                Decode(_pendingCount - 4, final: false);
                _pending.AsSpan(_pendingCount - 4, 4).CopyTo(_pending);
                _pendingCount = 4;
            }
        }
    }

    private void Decode(int chars, bool final)
    {
        var text = _pending.AsSpan(0, chars);
        if (chars % 4 != 0 || (!final && text.Contains('=')) || !Convert.TryFromBase64Chars(text, _decoded.AsSpan(_decodedCount), out int written))
            throw new FormatException($"The {_name} payload is not valid base64.");
        _decodedCount += written;
    }

    // The text of the element, across text and CDATA nodes (comments are skipped by the reader's settings).
    private async Task<int> NextCharsAsync(CancellationToken ct)
    {
        if (_textDone) return 0;
        if (!_started)
        {
            _started = true;
            await XmlReaderSteps.NextAsync(_reader);
        }
        while (_reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
        {
            ct.ThrowIfCancellationRequested();
            int n = await XmlReaderSteps.ValueChunkAsync(_reader, _chunk, 0, ChunkChars);
            if (n > 0) return n;
            await XmlReaderSteps.NextAsync(_reader);
        }
        _textDone = true;
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        // Rented arrays go back once: a second Dispose finds them already replaced by empty ones.
        if (disposing && _pending.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chunk);
            ArrayPool<char>.Shared.Return(_pending);
            ArrayPool<byte>.Shared.Return(_decoded);
            _chunk = _pending = [];
            _decoded = [];
        }
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
