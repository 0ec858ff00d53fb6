using Siuss.Contracts.Documents;
using Siuss.Contracts.Reconciliation;

namespace Siuss.Client.Reconciliation;

/// <summary>The kind of a difference between the register and the local export.</summary>
public enum DifferenceKind
{
    /// <summary>Active locally, not active in the register (never received, or cancelled there).</summary>
    Missing,
    /// <summary>Active in the register, not active locally.</summary>
    Extra,
    /// <summary>Active on both sides with the same natural key, with different content.</summary>
    Changed,
}

/// <summary>One field whose value differs: what the register holds (from a local version with the register's digest) and what the export says now.</summary>
public sealed record FieldDifference(string Field, string? Register, string? Local);

/// <summary>One record that differs, with what is known about each side and, where the export holds the register's version, the fields that differ.</summary>
public sealed record RecordDifference(
    DifferenceKind Kind,
    string CodiceFiscale,
    string CodicePrestazione,
    string ProtocolloDomanda,
    DateOnly DataRiferimento,
    string Detail,
    IReadOnlyList<FieldDifference> Fields);

/// <summary>The comparison of one period: counts on both sides and the differences, ordered by kind then key.</summary>
public sealed record PeriodComparison(string Periodo, int LocalActive, int RegisterActive, int RegisterCancelled, IReadOnlyList<RecordDifference> Differences)
{
    /// <summary>How many differences of one kind.</summary>
    public int Count(DifferenceKind kind) => Differences.Count(d => d.Kind == kind);
}

/// <summary>Compares the register's records of a period (key, state, digest) with the local export's: pure, no I/O.</summary>
public static class RecordComparer
{
    /// <summary>The active register states.</summary>
    public const string Attiva = "ATTIVA";

    /// <summary>Compares the period <paramref name="periodo"/>; <paramref name="register"/> is every record the register listed for it.</summary>
    public static PeriodComparison Compare(string periodo, LocalRecordSet local, IReadOnlyCollection<VoceRiconciliazione> register)
    {
        var localActive = local.ActiveIn(periodo);
        var registerActive = new Dictionary<string, VoceRiconciliazione>(StringComparer.Ordinal);
        var registerCancelled = new Dictionary<string, List<VoceRiconciliazione>>(StringComparer.Ordinal);
        foreach (var entry in register)
        {
            var key = RecordKey.Of(entry);
            if (entry.Stato == Attiva) registerActive[key] = entry;
            else
            {
                if (!registerCancelled.TryGetValue(key, out var list)) registerCancelled[key] = list = [];
                list.Add(entry);
            }
        }

        var differences = new List<RecordDifference>();
        foreach (var (key, mine) in localActive)
        {
            if (!registerActive.TryGetValue(key, out var theirs))
            {
                var detail = registerCancelled.TryGetValue(key, out var cancelled)
                    ? cancelled.Any(c => c.Digest == mine.Digest)
                        ? $"cancelled in the register (it was inserted by flow {cancelled.Last(c => c.Digest == mine.Digest).NomeFlusso}); active in {mine.Source}"
                        : $"cancelled in the register, with other content; active in {mine.Source}"
                    : $"not in the register; active in {mine.Source}";
                differences.Add(Difference(DifferenceKind.Missing, mine.Content, detail, []));
            }
            else if (theirs.Digest != mine.Digest)
            {
                var known = local.VersionsOf(key).LastOrDefault(v => v.Digest == theirs.Digest);
                var detail = known is null
                    ? $"the register's version (flow {theirs.NomeFlusso}) is not in the local export; local version in {mine.Source}"
                    : $"the register holds the version of {known.Source} (flow {theirs.NomeFlusso}); local version in {mine.Source}";
                differences.Add(Difference(DifferenceKind.Changed, mine.Content, detail, known is null ? [] : FieldsThatDiffer(known.Content, mine.Content)));
            }
        }
        foreach (var (key, theirs) in registerActive)
        {
            if (localActive.ContainsKey(key)) continue;
            var cancelledLocally = local.VersionsOf(key).LastOrDefault(v => v.Digest == theirs.Digest);
            var detail = cancelledLocally is null
                ? $"inserted by flow {theirs.NomeFlusso} (acquisition {theirs.IdAcquisizione}); not active in the local export"
                : $"inserted by flow {theirs.NomeFlusso} (acquisition {theirs.IdAcquisizione}); cancelled or replaced locally, last seen in {cancelledLocally.Source}";
            differences.Add(new RecordDifference(DifferenceKind.Extra, theirs.CodiceFiscale, theirs.CodicePrestazione, theirs.ProtocolloDomanda,
                DateOnly.FromDateTime(theirs.DataRiferimento), detail, []));
        }

        var ordered = differences
            .OrderBy(d => d.Kind)
            .ThenBy(d => new KeyedDigest(d.CodiceFiscale, d.CodicePrestazione, d.ProtocolloDomanda, d.DataRiferimento, "").Key, StringComparer.Ordinal)
            .ToList();
        return new PeriodComparison(periodo, localActive.Count, registerActive.Count, registerCancelled.Values.Sum(l => l.Count), ordered);
    }

    /// <summary>
    /// The fields whose values differ between two contents, in the canonical order; a field absent on one side
    /// has a null value there. Compared on the canonical text, so 150.50 and 150.5 are the same amount.
    /// </summary>
    public static IReadOnlyList<FieldDifference> FieldsThatDiffer(RecordContent register, RecordContent local)
    {
        var theirs = CanonicalFields(register);
        var mine = CanonicalFields(local);
        var names = CsvRecordContents.ContentColumns;
        return names
            .Select(name => new FieldDifference(name, theirs.GetValueOrDefault(name), mine.GetValueOrDefault(name)))
            .Where(f => f.Register != f.Local)
            .ToList();
    }

    private static Dictionary<string, string> CanonicalFields(RecordContent content)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in RecordDigest.Canonical(content).Split('\n'))
        {
            // A value holding a line break (possible through a character reference) continues the previous field.
            var equals = line.IndexOf('=');
            if (equals > 0 && CsvRecordContents.ContentColumns.Contains(line[..equals])) fields[line[..equals]] = line[(equals + 1)..];
        }
        return fields;
    }

    private static RecordDifference Difference(DifferenceKind kind, RecordContent content, string detail, IReadOnlyList<FieldDifference> fields) =>
        new(kind, content.CodiceFiscale, content.CodicePrestazione, content.ProtocolloDomanda, content.DataRiferimento, detail, fields);
}
