using Siuss.Service.Submission;

namespace Siuss.Tests.Unit;

/// <summary>Text quoted from a refused document stays writable in a receipt.</summary>
[TestFixture]
public sealed class ReceiptTextTests
{
    [TestCase("'\u000B', hexadecimal value 0x0B, is an invalid character.", "'\\u000B', hexadecimal value 0x0B, is an invalid character.")]
    [TestCase("a\u0000b\uFFFEc", "a\\u0000b\\uFFFEc")]
    public void Characters_XML_cannot_carry_are_written_as_escapes(string text, string expected) =>
        Assert.That(ReceiptText.Printable(text), Is.EqualTo(expected));

    [Test]
    public void A_lone_surrogate_is_written_as_an_escape() =>
        Assert.That(ReceiptText.Printable("lone " + (char)0xD800 + " surrogate"), Is.EqualTo("lone \\uD800 surrogate"));

    [TestCase("Rossi, àèìòù\t\n")]
    [TestCase("emoji \U0001F600 kept")]
    public void Text_XML_can_carry_is_unchanged(string text) =>
        Assert.That(ReceiptText.Printable(text), Is.SameAs(text));
}
