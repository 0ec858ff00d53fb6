using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Siuss.Contracts.Reconciliation;

/// <summary>
/// The published digest of a record's content, computed the same way by the register and by a body's
/// reconciliation job: lowercase hex SHA-256 of the UTF-8 canonical text, one <c>Name=value</c> line (LF)
/// per field present, in the order of <see cref="Canonical"/>; dates <c>yyyy-MM-dd</c>, numbers invariant
/// without trailing zeros (150.50 -> 150.5), <c>CodiceFiscale</c> as the register keys it (upper case, trailing
/// blanks removed), other text exactly as sent.
/// </summary>
public static class RecordDigest
{
    private const string DateFormat = "yyyy-MM-dd";
    private const string NumberFormat = "0.############################";

    /// <summary>The digest of one record's content.</summary>
    public static string Compute(RecordContent record)
    {
        // The register computes one digest per stored record: the text is written into pooled buffers, not strings.
        var text = new CanonicalText();
        try
        {
            Write(ref text, record);
            return HexSha256(text.Written);
        }
        finally
        {
            text.Dispose();
        }
    }

    /// <summary>The canonical text the digest is taken of (useful to see why two digests differ).</summary>
    public static string Canonical(RecordContent record)
    {
        var text = new CanonicalText();
        try
        {
            Write(ref text, record);
            return new string(text.Written);
        }
        finally
        {
            text.Dispose();
        }
    }

    // The one definition of the canonical text: field order and formats are part of the published digest.
    private static void Write(ref CanonicalText text, RecordContent r)
    {
        text.Line("CodiceFiscale", r.CodiceFiscale);
        text.Line("CodicePrestazione", r.CodicePrestazione);
        text.Line("ProtocolloDomanda", r.ProtocolloDomanda);
        text.Line<DateOnly>("DataRiferimento", r.DataRiferimento, DateFormat);
        text.Line("DenominazionePrestazione", r.DenominazionePrestazione);
        text.Line("PresenzaProvaMezzi", r.PresenzaProvaMezzi);
        text.Line("CaratterePrestazione", r.CaratterePrestazione);
        text.Line("NumeroProtocolloDSU", r.NumeroProtocolloDSU);
        text.Line("AnnoProtocolloDSU", r.AnnoProtocolloDSU);
        text.Line("DataDSU", r.DataDSU, DateFormat);
        text.Line("DataEvento", r.DataEvento, DateFormat);
        text.Line("DataInizioPrestazione", r.DataInizioPrestazione, DateFormat);
        text.Line("DataFinePrestazione", r.DataFinePrestazione, DateFormat);
        text.Line("DataErogazionePrestazione", r.DataErogazionePrestazione, DateFormat);
        text.Line("ImportoPrestazione", r.ImportoPrestazione, NumberFormat);
        text.Line("PeriodoErogazione", r.PeriodoErogazione, null);
        text.Line("ImportoMensile", r.ImportoMensile, NumberFormat);
        text.Line("ImportoQuotaEnte", r.ImportoQuotaEnte, NumberFormat);
        text.Line("ImportoQuotaUtente", r.ImportoQuotaUtente, NumberFormat);
        text.Line("ImportoQuotaSSN", r.ImportoQuotaSSN, NumberFormat);
        text.Line("ImportoQuotaRichiesta", r.ImportoQuotaRichiesta, NumberFormat);
        text.Line("ImportoSogliaISEE", r.ImportoSogliaISEE, NumberFormat);
        text.Line("OreServizioMensile", r.OreServizioMensile, NumberFormat);
        text.Line("PresaCarico", r.PresaCarico);
        text.Line("AreaUtenza", r.AreaUtenza);
    }

    private static string HexSha256(ReadOnlySpan<char> text)
    {
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(text, utf8);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(utf8.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    /// <summary>The canonical text being written, in a pooled buffer that grows as needed.</summary>
    private struct CanonicalText : IDisposable
    {
        private char[] _buffer;
        private int _length;

        public CanonicalText() => _buffer = ArrayPool<char>.Shared.Rent(512);

        public readonly ReadOnlySpan<char> Written => _buffer.AsSpan(0, _length);

        /// <summary>A text field's line, left out when the value is absent or empty.</summary>
        public void Line(string name, string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            Append(name);
            Append("=");
            Append(value);
            Append("\n");
        }

        /// <summary>A date's or number's line in the invariant culture, left out when the value is absent.</summary>
        public void Line<T>(string name, T? value, string? format) where T : struct, ISpanFormattable
        {
            if (value is not { } present) return;
            Append(name);
            Append("=");
            int written;
            while (!present.TryFormat(_buffer.AsSpan(_length), out written, format, CultureInfo.InvariantCulture))
                Grow(_buffer.Length);
            _length += written;
            Append("\n");
        }

        private void Append(ReadOnlySpan<char> value)
        {
            if (_length + value.Length > _buffer.Length) Grow(value.Length);
            value.CopyTo(_buffer.AsSpan(_length));
            _length += value.Length;
        }

        private void Grow(int atLeast)
        {
            var larger = ArrayPool<char>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + atLeast));
            Written.CopyTo(larger);
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = larger;
        }

        public void Dispose() => ArrayPool<char>.Shared.Return(_buffer);
    }
}
