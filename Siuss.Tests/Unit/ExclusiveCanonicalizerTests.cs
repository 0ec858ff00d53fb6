using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Siuss.Signing;

namespace Siuss.Tests.Unit;

/// <summary>The streaming exclusive canonicalizer gives byte for byte what the framework's DOM-based transform gives.</summary>
[TestFixture]
public sealed class ExclusiveCanonicalizerTests
{
    public static IEnumerable<TestCaseData> Documents()
    {
        yield return Case("declaration, default namespace, empty elements, attribute order",
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><R xmlns=\"urn:a\" z=\"1\" a=\"2\"><E /><F x=\"1\"></F></R>");
        yield return Case("escaping in text and attributes",
            "<R a=\"&lt;&amp;&gt;&quot;&#x9;&#xA;&#xD;'\">&lt;&amp;&gt;\"'&#xD;\n\t é € 𝄞</R>");
        yield return Case("CDATA and whitespace inside, whitespace outside the root",
            "\n<R>\n  <![CDATA[<x> & y]]>\n  <S>  </S>\n</R>\n");
        yield return Case("unused and redeclared namespaces",
            "<p:R xmlns:p=\"urn:p\" xmlns:unused=\"urn:u\" xmlns=\"urn:d\"><p:A/><B xmlns:p=\"urn:p\"><p:C/></B><D xmlns=\"\"/><q:E xmlns:q=\"urn:q\" q:x=\"1\" y=\"2\"/></p:R>");
        yield return Case("prefixed attributes sort by namespace URI then name",
            "<R xmlns:b=\"urn:a\" xmlns:a=\"urn:b\" a:x=\"1\" b:y=\"2\" b:a=\"3\" c=\"4\" xml:lang=\"it\"/>");
        yield return Case("a default namespace undeclared under a prefixed root",
            "<p:R xmlns:p=\"urn:p\"><A xmlns=\"urn:a\"><B xmlns=\"\"><C/></B></A></p:R>");
        yield return Case("comments are left out", "<R><!-- c --><A>1<!-- d -->2</A></R><!-- e -->");
    }

    private static TestCaseData Case(string name, string xml) => new TestCaseData(xml).SetName("Canonical form: " + name);

    [TestCaseSource(nameof(Documents))]
    public void Matches_XmlDsigExcC14NTransform(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        var transform = new XmlDsigExcC14NTransform();
        transform.LoadInput(document);
        var expected = ((MemoryStream)transform.GetOutput(typeof(Stream))).ToArray();

        using var output = new MemoryStream();
        using (var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { IgnoreComments = true }))
            ExclusiveCanonicalizer.Canonicalize(reader, output);

        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo(Encoding.UTF8.GetString(expected)));
    }

    [Test]
    public void A_document_with_a_processing_instruction_is_not_signed()
    {
        using var reader = XmlReader.Create(new StringReader("<R><?pi x?></R>"));
        Assert.Throws<XmlException>(() => ExclusiveCanonicalizer.Canonicalize(reader, Stream.Null));
    }
}
