using System.Text;
using System.Xml;
using Siuss.Host.Web;

namespace Siuss.Tests.Unit;

/// <summary>The fast path's streaming base64 decoder: byte for byte what Convert.FromBase64String gives, and as strict.</summary>
[TestFixture]
public sealed class Base64ContentStreamTests
{
    private static async Task<byte[]> DecodeAsync(string content)
    {
        var settings = new XmlReaderSettings { Async = true, DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, IgnoreWhitespace = true };
        using var reader = XmlReader.Create(new StringReader($"<r><p>{content}</p><after/></r>"), settings);
        reader.ReadToFollowing("p");
        await using var stream = new Base64ContentStream(reader, "Flusso");
        using var decoded = new MemoryStream();
        await stream.CopyToAsync(decoded);
        Assert.That(reader.NodeType, Is.EqualTo(XmlNodeType.EndElement), "left on the node after the text");
        Assert.That(reader.LocalName, Is.EqualTo("p"));
        return decoded.ToArray();
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(12_285)]
    [TestCase(12_286)]
    [TestCase(12_287)]
    [TestCase(100_003)]
    public async Task Decodes_what_Convert_decodes_whatever_the_line_breaks(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var lines = Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks);
        var spaced = string.Concat(Convert.ToBase64String(bytes).Select((c, i) => i % 7 == 3 ? " \t" + c : c.ToString()));

        Assert.That(await DecodeAsync(Convert.ToBase64String(bytes)), Is.EqualTo(bytes));
        Assert.That(await DecodeAsync(lines), Is.EqualTo(bytes));
        Assert.That(await DecodeAsync(spaced), Is.EqualTo(bytes));
        Assert.That(await DecodeAsync($"<![CDATA[{lines}]]>"), Is.EqualTo(bytes));
    }

    [Test]
    public async Task Text_split_by_a_comment_is_one_payload() =>
        Assert.That(await DecodeAsync("QUJD<!-- x -->REVG"), Is.EqualTo("ABCDEF"u8.ToArray()));

    [TestCase("AAA", TestName = "truncated (not whole quanta)")]
    [TestCase("AA=", TestName = "truncated padding")]
    [TestCase("A===", TestName = "too much padding")]
    [TestCase("QQ==QQ==", TestName = "padding in the middle")]
    [TestCase("QUJD*REVG", TestName = "a character outside the alphabet")]
    [TestCase("QUJDREVG\u00e9", TestName = "a non-ASCII character")]
    public void Invalid_base64_is_refused(string content)
    {
        var e = Assert.ThrowsAsync<FormatException>(() => DecodeAsync(content));
        Assert.That(e!.Message, Does.Contain("Flusso payload is not valid base64"));
    }

    [Test]
    public void Padding_right_at_a_buffer_boundary_is_still_refused_when_more_follows()
    {
        // 16384 chars fill the decoder's pending buffer exactly; the padded quantum is not the last.
        var first = Convert.ToBase64String(new byte[12_286]); // 12286 % 3 == 1: a final quantum with "=="
        Assert.That(first.Length, Is.EqualTo(16_384));
        Assert.That(first, Does.EndWith("=="));
        Assert.ThrowsAsync<FormatException>(() => DecodeAsync(first + "QUJD"));
    }

    [Test]
    public async Task Only_whitespace_is_an_empty_payload() =>
        Assert.That(await DecodeAsync(" \n\t "), Is.Empty);
}
