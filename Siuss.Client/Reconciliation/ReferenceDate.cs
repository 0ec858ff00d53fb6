using Siuss.Contracts.Reconciliation;

namespace Siuss.Client.Reconciliation;

/// <summary>The date of a record's natural key, taken as the register takes it: the start of a periodic benefit, the payment of a one-off one.</summary>
public static class ReferenceDate
{
    /// <summary>The reference date of <paramref name="content"/>, or null when the dates it comes from are absent.</summary>
    public static DateOnly? Of(RecordContent content) =>
        content.CaratterePrestazione == "1"
            ? content.DataInizioPrestazione
            : content.DataErogazionePrestazione ?? content.DataInizioPrestazione;
}
