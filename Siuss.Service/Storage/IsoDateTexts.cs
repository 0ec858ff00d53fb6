using System.Globalization;

namespace Siuss.Service.Storage;

/// <summary>
/// The ISO text (<c>yyyy-MM-dd</c>) of the dates one flow stores, formatted once each: records of a flow share a
/// handful of dates, and every stored date would otherwise be a new string.
/// </summary>
internal sealed class IsoDateTexts
{
    // Bounds the memory a flow of all-different dates can pin; past it dates are formatted each time.
    private const int MaxRemembered = 1024;

    private readonly Dictionary<DateOnly, string> _texts = [];

    /// <summary>The date as the register stores it (SQLite keeps the text, SQL Server converts it to DATE); null stays null.</summary>
    public string? Of(DateOnly? date)
    {
        if (date is not { } value) return null;
        if (_texts.TryGetValue(value, out var text)) return text;
        text = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (_texts.Count < MaxRemembered) _texts.Add(value, text);
        return text;
    }
}
