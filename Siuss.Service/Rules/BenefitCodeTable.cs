using System.Globalization;

namespace Siuss.Service.Rules;

/// <summary>One row of the benefit-code table (DM 206/2014 Tabella 1, as kept by the register).</summary>
public sealed record BenefitCode
{
    public required string Codice { get; init; }
    public required string Descrizione { get; init; }
    public required string Sezione { get; init; }
    public DateOnly ValidoDal { get; init; }
    public DateOnly? ValidoAl { get; init; }
    /// <summary>The benefit can only be given to someone taken into care (PresaCarico=1).</summary>
    public bool RichiedePresaCarico { get; init; }
    /// <summary>The record must carry DataEvento, the actual payment date.</summary>
    public bool RichiedeDataEvento { get; init; }

    /// <summary>True when the code may be used for a benefit dated <paramref name="date"/>.</summary>
    public bool IsValidOn(DateOnly date) => date >= ValidoDal && (ValidoAl is null || date <= ValidoAl);
}

/// <summary>A snapshot of the benefit-code table, looked up by code.</summary>
public sealed class BenefitCodeTable(IEnumerable<BenefitCode> codes)
{
    private readonly Dictionary<string, BenefitCode> _byCode = codes.ToDictionary(c => c.Codice, StringComparer.Ordinal);

    /// <summary>The entry for a code, or null when the code is unknown.</summary>
    public BenefitCode? Find(string codice) => _byCode.GetValueOrDefault(codice);

    /// <summary>Every entry.</summary>
    public IReadOnlyCollection<BenefitCode> All => _byCode.Values;

    /// <summary>The seed table shipped with the project (<c>Rules/CodiciPrestazione.csv</c>).</summary>
    public static IReadOnlyList<BenefitCode> Seed()
    {
        using var stream = typeof(BenefitCodeTable).Assembly.GetManifestResourceStream("Siuss.Rules.CodiciPrestazione.csv")
            ?? throw new InvalidOperationException("The benefit-code seed is not embedded.");
        using var reader = new StreamReader(stream);
        return ParseCsv(reader).ToList();
    }

    /// <summary>Parses the semicolon-separated table format (header line first).</summary>
    public static IEnumerable<BenefitCode> ParseCsv(TextReader reader)
    {
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var f = line.Split(';');
            yield return new BenefitCode
            {
                Codice = f[0].Trim(),
                Descrizione = f[1].Trim(),
                Sezione = f[2].Trim(),
                ValidoDal = DateOnly.ParseExact(f[3].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                ValidoAl = string.IsNullOrWhiteSpace(f[4]) ? null : DateOnly.ParseExact(f[4].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                RichiedePresaCarico = f[5].Trim() == "1",
                RichiedeDataEvento = f[6].Trim() == "1",
            };
        }
    }
}
