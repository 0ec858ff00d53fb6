using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Siuss.Contracts.Reconciliation;

/// <summary>The natural key of a benefit record within one paying body, with its content digest.</summary>
public readonly record struct KeyedDigest(string CodiceFiscale, string CodicePrestazione, string ProtocolloDomanda, DateOnly DataRiferimento, string Digest)
{
    /// <summary>The key as one text: <c>CodiceFiscale|CodicePrestazione|ProtocolloDomanda|yyyy-MM-dd</c>.</summary>
    public string Key => string.Join('|', CodiceFiscale, CodicePrestazione, ProtocolloDomanda,
        DataRiferimento.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}

/// <summary>
/// The published digest of a whole period: lowercase hex SHA-256 of the UTF-8 lines <c>key|digest</c> (LF),
/// one per active record, sorted by key in ordinal order. Independent of the order records were sent in,
/// so a body can compute it from its own database and skip a period whose digest matches the register's.
/// </summary>
public static class PeriodDigest
{
    /// <summary>The digest of the active records given (any order).</summary>
    public static string Compute(IEnumerable<KeyedDigest> activeRecords)
    {
        var lines = activeRecords.Select(r => r.Key + "|" + r.Digest).ToList();
        lines.Sort(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines)
            hash.AppendData(Encoding.UTF8.GetBytes(line + "\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
