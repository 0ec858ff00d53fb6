using Siuss.Contracts.Reconciliation;

namespace Siuss.Client.Reconciliation;

/// <summary>Where a local record came from, for messages: a file and a record or line number (never the record's data).</summary>
public sealed record LocalSource(string File, int Position, string Unit)
{
    /// <inheritdoc />
    public override string ToString() => $"{File} {Unit} {Position}";
}

/// <summary>One version of a record the local export holds, and whether it is the active one.</summary>
public sealed record LocalVersion(RecordContent Content, string Digest, LocalSource Source);

/// <summary>
/// The body's own view of its records, built by applying the export's operations in order: an insert makes a
/// version active, a cancellation ends the active one. Every version seen is kept, so a difference can be
/// explained when the register holds a version the export still knows.
/// </summary>
public sealed class LocalRecordSet
{
    private readonly Dictionary<string, LocalVersion> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LocalVersion>> _versions = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];

    /// <summary>Things in the export that the register would have refused (a cancellation of nothing, a second insert of an active key); the export is read as if they had happened.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>How many operations were applied.</summary>
    public int Operations { get; private set; }

    /// <summary>An insert (<c>TipoOperazione=I</c>, or a row in state ATTIVA): this version becomes the active one.</summary>
    public void Insert(RecordContent content, LocalSource source)
    {
        var version = Remember(content, source);
        if (_active.ContainsKey(version.Key))
            _warnings.Add($"{source}: inserts a record that is already active (the register would refuse it as a duplicate); the later one is taken.");
        _active[version.Key] = version.Version;
    }

    /// <summary>A cancellation (<c>TipoOperazione=C</c>): the active version of the key ends.</summary>
    public void Cancel(RecordContent content, LocalSource source)
    {
        var version = Remember(content, source);
        if (!_active.Remove(version.Key))
            _warnings.Add($"{source}: cancels a record that is not active (the register would answer DATI_NON_TROVATI); ignored.");
    }

    /// <summary>A version known to be cancelled (a row in state ANNULLATA): remembered for explanations, never active.</summary>
    public void Cancelled(RecordContent content, LocalSource source) => Remember(content, source);

    /// <summary>The active records whose <c>DataRiferimento</c> falls in <paramref name="periodo"/> (<c>yyyy-MM</c>), by key.</summary>
    public IReadOnlyDictionary<string, LocalVersion> ActiveIn(string periodo) =>
        _active.Where(a => RecordKey.PeriodOf(a.Value.Content.DataRiferimento) == periodo).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);

    /// <summary>Every version of a key the export holds, in the order seen.</summary>
    public IReadOnlyList<LocalVersion> VersionsOf(string key) => _versions.TryGetValue(key, out var list) ? list : [];

    /// <summary>The published period digest of the local active records of <paramref name="periodo"/>.</summary>
    public string PeriodDigestOf(string periodo) => PeriodDigest.Compute(ActiveIn(periodo).Values.Select(v => FlowRecordContents.Keyed(v.Content)));

    private (string Key, LocalVersion Version) Remember(RecordContent content, LocalSource source)
    {
        Operations++;
        var key = RecordKey.Of(content);
        var version = new LocalVersion(content, RecordDigest.Compute(content), source);
        if (!_versions.TryGetValue(key, out var list)) _versions[key] = list = [];
        list.Add(version);
        return (key, version);
    }
}
