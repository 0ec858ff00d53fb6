using System.Collections.Frozen;
using System.Text;

namespace Siuss.Service.Rules;

/// <summary>
/// Sees through the ways a fiscal code can be written so that it no longer looks like one to a plain comparison, for the
/// checks that must find one anyway (a SINBA id must never be a person's fiscal code): Unicode compatibility forms
/// (fullwidth, mathematical letters and digits) by NFKC, Cyrillic and Greek letters that look like Latin ones by a fold
/// table, case, and separators (dots, dashes, spaces, anything not a letter or digit) by dropping them.
/// </summary>
public static class LookAlikes
{
    // Capital and small Cyrillic and Greek letters drawn like a Latin capital in common fonts.
    private static readonly FrozenDictionary<char, char> Fold = new Dictionary<char, char>
    {
        // Cyrillic
        ['А'] = 'A', ['а'] = 'A', ['В'] = 'B', ['в'] = 'B', ['С'] = 'C', ['с'] = 'C', ['Ԁ'] = 'D', ['ԁ'] = 'D',
        ['Е'] = 'E', ['е'] = 'E', ['Ё'] = 'E', ['ё'] = 'E', ['Н'] = 'H', ['н'] = 'H', ['І'] = 'I', ['і'] = 'I', ['Ӏ'] = 'I',
        ['Ј'] = 'J', ['ј'] = 'J', ['К'] = 'K', ['к'] = 'K', ['М'] = 'M', ['м'] = 'M', ['О'] = 'O', ['о'] = 'O',
        ['Р'] = 'P', ['р'] = 'P', ['Ԛ'] = 'Q', ['ԛ'] = 'Q', ['Ѕ'] = 'S', ['ѕ'] = 'S', ['Т'] = 'T', ['т'] = 'T',
        ['Ѵ'] = 'V', ['ѵ'] = 'V', ['Ԝ'] = 'W', ['ԝ'] = 'W', ['Х'] = 'X', ['х'] = 'X', ['У'] = 'Y', ['у'] = 'Y',
        ['Ү'] = 'Y', ['ү'] = 'Y', ['З'] = '3', ['з'] = '3', ['б'] = '6',
        // Greek
        ['Α'] = 'A', ['α'] = 'A', ['Β'] = 'B', ['β'] = 'B', ['Ε'] = 'E', ['ε'] = 'E', ['Ζ'] = 'Z', ['Η'] = 'H',
        ['Ι'] = 'I', ['ι'] = 'I', ['Κ'] = 'K', ['κ'] = 'K', ['Μ'] = 'M', ['Ν'] = 'N', ['ν'] = 'V', ['Ο'] = 'O',
        ['ο'] = 'O', ['Ρ'] = 'P', ['ρ'] = 'P', ['Τ'] = 'T', ['τ'] = 'T', ['Υ'] = 'Y', ['υ'] = 'U', ['Χ'] = 'X',
        ['χ'] = 'X', ['ϲ'] = 'C', ['Ϲ'] = 'C', ['ϳ'] = 'J',
    }.ToFrozenDictionary();

    /// <summary>
    /// The upper-case ASCII letters and digits <paramref name="text"/> reads as, in order, everything else dropped:
    /// <c>ＲＳＳ.МRА-85T10 A562S</c> (fullwidth, Cyrillic М and А, separators) becomes <c>RSSMRA85T10A562S</c>.
    /// </summary>
    public static string LettersAndDigits(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormKC);
        var folded = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            var latin = Fold.TryGetValue(c, out var mapped) ? mapped : char.ToUpperInvariant(c);
            if (char.IsAsciiLetterUpper(latin) || char.IsAsciiDigit(latin)) folded.Append(latin);
        }
        return folded.ToString();
    }
}
