using System.Globalization;
using Siuss.Contracts.Documents;
using Siuss.Contracts.Reconciliation;

namespace Siuss.Client.Reconciliation;

/// <summary>The natural key of a record as one text, the same as <see cref="KeyedDigest.Key"/>, and the period (month) a record belongs to.</summary>
public static class RecordKey
{
    /// <summary>The key of a local record's content.</summary>
    public static string Of(RecordContent content) =>
        new KeyedDigest(content.CodiceFiscale, content.CodicePrestazione, content.ProtocolloDomanda, content.DataRiferimento, "").Key;

    /// <summary>The key of a record the register listed.</summary>
    public static string Of(VoceRiconciliazione entry) =>
        new KeyedDigest(entry.CodiceFiscale, entry.CodicePrestazione, entry.ProtocolloDomanda, DateOnly.FromDateTime(entry.DataRiferimento), "").Key;

    /// <summary>The month of <c>DataRiferimento</c> the register reconciles a record under, <c>yyyy-MM</c>.</summary>
    public static string PeriodOf(DateOnly dataRiferimento) => dataRiferimento.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
