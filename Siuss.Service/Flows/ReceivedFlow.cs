using System.Security.Cryptography;

namespace Siuss.Service.Flows;

/// <summary>
/// A flow file as the register received it: its byte length and SHA-256, computed while it arrived, and its bytes,
/// re-readable from the start as often as the pipeline needs (digest check, ingest, raw evidence) without ever
/// being held twice. Owns the stream it reads from.
/// </summary>
public sealed class ReceivedFlow : IAsyncDisposable
{
    private readonly Stream _content;

    /// <summary>Wraps a seekable stream whose length and digest the caller already knows.</summary>
    public ReceivedFlow(Stream content, long length, string sha256Hex)
    {
        if (!content.CanSeek) throw new ArgumentException("The flow content must be seekable.", nameof(content));
        _content = content;
        Length = length;
        Sha256Hex = sha256Hex;
    }

    /// <summary>The flow's size in bytes.</summary>
    public long Length { get; }

    /// <summary>The lowercase hex SHA-256 of the flow bytes.</summary>
    public string Sha256Hex { get; }

    /// <summary>A flow already in memory (the SoapCore path, tools, tests).</summary>
    public static ReceivedFlow FromBytes(byte[] bytes) =>
        new(new MemoryStream(bytes, writable: false), bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)));

    /// <summary>The flow bytes from the start, read-only; disposing the returned stream leaves the flow open for the next reader.</summary>
    public Stream OpenRead()
    {
        _content.Position = 0;
        return new NonClosingReadStream(_content, Length);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _content.DisposeAsync();

    // One reader at a time: each OpenRead rewinds the shared stream; Dispose only detaches.
    private sealed class NonClosingReadStream(Stream inner, long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
