using System.Globalization;

namespace Siuss.Client.Cli;

/// <summary>Parses <c>--periodo</c>: one month <c>yyyy-MM</c>, or a range <c>yyyy-MM..yyyy-MM</c> (both ends included).</summary>
public static class Periods
{
    /// <summary>The most months one run reconciles.</summary>
    public const int MaxMonths = 120;

    /// <summary>The months named, in order, as <c>yyyy-MM</c>; a usage error for anything else.</summary>
    public static IReadOnlyList<string> Parse(string value)
    {
        var parts = value.Split("..", 2);
        var from = Month(parts[0]);
        var to = parts.Length == 2 ? Month(parts[1]) : from;
        if (to < from) throw new UsageException($"--periodo '{value}': the range ends before it starts.");
        var months = new List<string>();
        for (var month = from; month <= to; month = month.AddMonths(1))
        {
            if (months.Count == MaxMonths) throw new UsageException($"--periodo '{value}': at most {MaxMonths} months in one run.");
            months.Add(month.ToString("yyyy-MM", CultureInfo.InvariantCulture));
        }
        return months;
    }

    private static DateOnly Month(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            ? month
            : throw new UsageException($"--periodo takes a month yyyy-MM or a range yyyy-MM..yyyy-MM (got '{text}').");
}
