using System.Collections.Frozen;

namespace Siuss.Service.Rules;

/// <summary>
/// The official code lists shipped as data in <c>Rules/CodeLists</c> (sources and licences in its README), the one copy
/// the rules and the statistics read.
/// </summary>
public static class OfficialCodeLists
{
    /// <summary>INPS's citizenship code for "non disponibile" (spec Tabelle 6 and 15: "Formato ISO3166 (990 - non disponibile)").</summary>
    public const string CitizenshipNotAvailable = "990";

    private static readonly Lazy<FrozenSet<string>> Iso3166 = new(() => Load("iso3166-numeric.csv"));

    /// <summary>Every ISO 3166-1 numeric code of the shipped list.</summary>
    public static IReadOnlyCollection<string> Iso3166Numeric => Iso3166.Value;

    /// <summary>True when <paramref name="code"/> is an ISO 3166-1 numeric code of the shipped list.</summary>
    public static bool IsIso3166Numeric(string? code) => code is not null && Iso3166.Value.Contains(code);

    /// <summary>
    /// Adds <see cref="RuleCodes.NationCodeUnknown"/> when a nation (or, with <paramref name="citizenship"/>, a citizenship,
    /// which may also be 990) is not in the ISO 3166 list; an absent optional code is not checked.
    /// </summary>
    public static void CheckNation(string? code, string field, bool citizenship, List<RuleViolation> violations)
    {
        if (string.IsNullOrEmpty(code) || IsIso3166Numeric(code) || (citizenship && code == CitizenshipNotAvailable)) return;
        violations.Add(new(RuleCodes.NationCodeUnknown, field,
            $"{field} '{code}' is not an ISO 3166-1 numeric code{(citizenship ? " (nor 990, not available)" : "")}."));
    }

    // The first column of a semicolon-separated list, after its comment and header lines.
    private static FrozenSet<string> Load(string file)
    {
        using var stream = typeof(OfficialCodeLists).Assembly.GetManifestResourceStream("Siuss.CodeLists." + file)
            ?? throw new InvalidOperationException($"The code list {file} is not embedded.");
        using var reader = new StreamReader(stream);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        bool header = true;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            if (header) { header = false; continue; }
            codes.Add(line[..line.IndexOf(';')]);
        }
        return codes.ToFrozenSet(StringComparer.Ordinal);
    }
}
