using System.Buffers;
using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Serialization;
using Siuss.Contracts;
using Siuss.Signing;

namespace Siuss.Service.Signing;

/// <summary>Turns an answer document (a <c>Ricevuta</c>, a <c>StoricoPrestazioni</c>...) into the register-signed bytes sent and stored.</summary>
public sealed class RegisterDocumentSigner(ReceiptSigningKey key)
{
    private static readonly ConcurrentDictionary<Type, XmlSerializer> Serializers = new();
    private static readonly XmlSerializerNamespaces Prefixes = CreatePrefixes();

    /// <summary>Documents that serialise to at most this many bytes (a receipt of a few records) are serialised once, into pooled memory.</summary>
    public const int PooledDocumentBytes = 16 * 1024;

    /// <summary>Serialises and signs the document with the register's key.</summary>
    /// <remarks>
    /// Serialised straight to bytes and signed without a DOM (<see cref="SerializedDocumentSigner"/>): the receipt of a
    /// 90k-record flow is 12 MB, and as an XmlDocument signed by SignedXml it cost ~40 times that. The first pass
    /// keeps the bytes in a pooled buffer while they fit (the usual small receipt is signed from there) and counts
    /// them all; a larger document is serialised a second time into an array of exactly that size, so it never
    /// grows through a chain of doubling buffers (serialising is cheap next to the memory those cost).
    /// </remarks>
    public byte[] Sign<T>(T document) where T : class
    {
        var serializer = Serializers.GetOrAdd(typeof(T), t => new XmlSerializer(t));
        var pooled = ArrayPool<byte>.Shared.Rent(PooledDocumentBytes);
        try
        {
            var counter = new CountingStream(pooled);
            Serialize(serializer, document, counter);
            if (counter.Length <= pooled.Length)
                return SerializedDocumentSigner.Sign(new ArraySegment<byte>(pooled, 0, (int)counter.Length), key.Certificate);
            var bytes = new byte[counter.Length];
            Serialize(serializer, document, new MemoryStream(bytes)); // fixed size: a differing second pass fails loudly
            return SerializedDocumentSigner.Sign(new ArraySegment<byte>(bytes), key.Certificate);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pooled);
        }
    }

    private static void Serialize<T>(XmlSerializer serializer, T document, Stream output)
    {
        using var writer = XmlWriter.Create(output, WriterSettings);
        serializer.Serialize(writer, document, Prefixes);
    }

    // Counts what is written to it and keeps the first bytes, as many as its buffer holds; the rest is dropped.
    private sealed class CountingStream(byte[] kept) : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> bytes)
        {
            if (_length < kept.Length)
                bytes[..(int)Math.Min(bytes.Length, kept.Length - _length)].CopyTo(kept.AsSpan((int)_length));
            _length += bytes.Length;
        }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static readonly XmlWriterSettings WriterSettings = new() { Encoding = new System.Text.UTF8Encoding(false) };

    private static XmlSerializerNamespaces CreatePrefixes()
    {
        var prefixes = new XmlSerializerNamespaces();
        prefixes.Add("", Namespaces.Documents);
        return prefixes;
    }
}
