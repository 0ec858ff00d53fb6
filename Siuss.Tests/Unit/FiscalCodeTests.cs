using Siuss.Service.Rules;

namespace Siuss.Tests.Unit;

/// <summary>The fiscal-code check character, including omocodia and 11-digit numbers.</summary>
[TestFixture]
public sealed class FiscalCodeTests
{
    [TestCase("RSSMRA85T10A562S")]
    [TestCase("rssmra85t10a562s")]
    [TestCase("MRTMTT25D09F205Z")]
    [TestCase("BNCGVN70A01H501H")]
    [TestCase("VRDLGU80B41F205W", Description = "a woman: day + 40")]
    [TestCase("01234567897")]
    [TestCase("01234567897     ", Description = "padded as the XSD allows")]
    [TestCase("80078750587", Description = "INPS's own tax number")]
    public void Accepts_a_valid_code(string code) => Assert.That(FiscalCode.IsValid(code), Is.True);

    [TestCase("RSSMRA85T10A562T", Description = "wrong check character")]
    [TestCase("RSSMRA85Z10A562S", Description = "Z is not a month")]
    [TestCase("RSSMRA85T32A562S", Description = "day 32")]
    [TestCase("RSSMRA85T00A562S", Description = "day 0")]
    [TestCase("RSSMRA8AT10A562S", Description = "A is not an omocodia letter")]
    [TestCase("01234567890", Description = "wrong check digit")]
    [TestCase("0123456789", Description = "ten digits")]
    [TestCase("RSSMRA85T10A562", Description = "fifteen characters")]
    [TestCase("")]
    [TestCase(null)]
    public void Refuses_an_invalid_code(string? code) => Assert.That(FiscalCode.IsValid(code), Is.False);

    [Test]
    public void Omocodia_substitutions_keep_a_code_valid_when_its_check_character_is_recomputed()
    {
        // Replace the last digit (position 15) with its omocodia letter: 2 -> N.
        var first15 = "RSSMRA85T10A56N";
        var code = first15 + FiscalCode.PersonalCheckCharacter(first15);
        Assert.That(FiscalCode.IsValid(code), Is.True);
        Assert.That(FiscalCode.IsValid("RSSMRA85T10A56N" + (char)(code[15] == 'A' ? 'B' : 'A')), Is.False);
    }

    [Test]
    public void Normalize_upper_cases_and_removes_the_padding() =>
        Assert.That(FiscalCode.Normalize("rssmra85t10a562s"), Is.EqualTo("RSSMRA85T10A562S"));
}
