namespace Siuss.Service.Rules;

/// <summary>
/// The Italian fiscal code check: a 16-character personal code (with omocodia substitutions) or an
/// 11-digit number, each verified by its check character. The XSD only checks the shape.
/// </summary>
public static class FiscalCode
{
    private const string OmocodiaLetters = "LMNPQRSTUV";
    private const string MonthLetters = "ABCDEHLMPRST";
    private static readonly int[] OmocodiaPositions = [6, 7, 9, 10, 12, 13, 14];

    // Values of characters in odd (1st, 3rd...) positions; digits share the values of A..J.
    private static readonly int[] OddValues =
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

    /// <summary>The code as the register stores it: upper case, trailing padding removed.</summary>
    public static string Normalize(string value) => value.TrimEnd(' ').ToUpperInvariant();

    /// <summary>True when the (normalised) code is a well-formed personal or numeric fiscal code with a correct check character.</summary>
    public static bool IsValid(string? value)
    {
        if (value is null) return false;
        var code = Normalize(value);
        return code.Length switch
        {
            16 => IsValidPersonal(code),
            11 => IsValidNumeric(code),
            _ => false,
        };
    }

    /// <summary>The check character a 16-character code should end with, computed from its first 15.</summary>
    public static char PersonalCheckCharacter(ReadOnlySpan<char> first15)
    {
        int sum = 0;
        for (int i = 0; i < 15; i++)
        {
            char c = first15[i];
            int index = char.IsAsciiDigit(c) ? c - '0' : c - 'A';
            sum += i % 2 == 0 ? OddValues[index] : index;
        }
        return (char)('A' + sum % 26);
    }

    /// <summary>The check digit an 11-digit code should end with, computed from its first 10.</summary>
    public static char NumericCheckDigit(ReadOnlySpan<char> first10)
    {
        int sum = 0;
        for (int i = 0; i < 10; i++)
        {
            int digit = first10[i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9) digit -= 9;
            }
            sum += digit;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }

    private static bool IsValidPersonal(string code)
    {
        for (int i = 0; i < 16; i++)
        {
            char c = code[i];
            bool digitSlot = Array.IndexOf(OmocodiaPositions, i) >= 0;
            bool ok = digitSlot ? char.IsAsciiDigit(c) || OmocodiaLetters.Contains(c) : char.IsAsciiLetterUpper(c);
            if (!ok) return false;
        }
        if (!MonthLetters.Contains(code[8])) return false;

        int day = DecodeDigit(code[9]) * 10 + DecodeDigit(code[10]);
        if (day is < 1 or > 71 || day is > 31 and < 41) return false;

        return PersonalCheckCharacter(code.AsSpan(0, 15)) == code[15];
    }

    private static int DecodeDigit(char c) => char.IsAsciiDigit(c) ? c - '0' : OmocodiaLetters.IndexOf(c);

    private static bool IsValidNumeric(string code)
    {
        foreach (char c in code)
            if (!char.IsAsciiDigit(c)) return false;
        return NumericCheckDigit(code.AsSpan(0, 10)) == code[10];
    }
}
