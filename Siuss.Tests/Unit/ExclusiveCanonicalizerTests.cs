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

    public static IEnumerable<TestCaseData> DomDocuments() => Documents()
        .Select(c => c.Arguments[0]!)
        .Append("<?first pi?>\n<R><?inside data?><A><?empty?></A></R><?after?>")
        .Select(xml => new TestCaseData(xml));

    [TestCaseSource(nameof(DomDocuments))]
    public void A_whole_DOM_matches_XmlDsigExcC14NTransform(string xml)
    {
        var document = Load(xml);
        Assert.That(Canonical(document), Is.EqualTo(Framework(document)));
    }

    // Subtrees whose namespaces are declared above them, or redeclared, or only used by attributes or descendants.
    public static IEnumerable<TestCaseData> Subtrees()
    {
        yield return new TestCaseData("<R xmlns=\"urn:d\" xmlns:p=\"urn:p\"><S><p:T a=\"1\"/><U/></S></R>", "S");
        yield return new TestCaseData("<ds:R xmlns:ds=\"urn:ds\" xmlns:u=\"urn:u\" xml:lang=\"it\"><ds:S><ds:T u:a=\"1\">x</ds:T></ds:S></ds:R>", "S");
        yield return new TestCaseData("<R xmlns:p=\"urn:outer\"><S xmlns:p=\"urn:inner\"><p:T/></S></R>", "S");
        yield return new TestCaseData("<R xmlns=\"urn:d\"><S><T xmlns=\"\"><V xmlns=\"urn:d\"/></T></S></R>", "S");
        yield return new TestCaseData("<R xmlns=\"urn:d\"><S xmlns=\"\"><T/></S></R>", "S");
        yield return new TestCaseData("<R xmlns:p=\"urn:p\"><S b=\"2\" a=\"1\" xmlns:z=\"urn:z\" z:c=\"3\" p:d=\"4\">\n <!-- c --> <?pi x?> &amp; </S></R>", "S");
    }

    [TestCaseSource(nameof(Subtrees))]
    public void A_subtree_matches_XmlDsigExcC14NTransform_over_its_node_set(string xml, string localName)
    {
        var document = Load(xml);
        var subtree = (XmlElement)document.SelectSingleNode($"//*[local-name()='{localName}']")!;
        var nodeSet = subtree.SelectNodes("descendant-or-self::node() | descendant-or-self::*/@* | descendant-or-self::*/namespace::*")!;

        using var output = new MemoryStream();
        ExclusiveCanonicalizer.Canonicalize(subtree, output);
        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo(Framework(nodeSet)));
    }

    [TestCase("<R xmlns=\"urn:d\"><A/><Cut><B/></Cut>\n<C/></R>")]
    [TestCase("<R><Cut/></R>")]
    [TestCase("<R><A><Cut>x</Cut></A><Cut>kept: only the first is left out</Cut></R>")]
    public void Leaving_out_an_element_matches_the_framework_on_a_copy_without_it(string xml)
    {
        var document = Load(xml);
        var cut = (XmlElement)document.SelectSingleNode("//*[local-name()='Cut']")!;
        var expected = (XmlDocument)document.CloneNode(deep: true);
        var expectedCut = expected.SelectSingleNode("//*[local-name()='Cut']")!;
        expectedCut.ParentNode!.RemoveChild(expectedCut);

        using var output = new MemoryStream();
        ExclusiveCanonicalizer.Canonicalize(document, output, leaveOut: cut);
        Assert.That(Encoding.UTF8.GetString(output.ToArray()), Is.EqualTo(Framework(expected)));
    }

    private static XmlDocument Load(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        return document;
    }

    private static string Canonical(XmlNode node)
    {
        using var output = new MemoryStream();
        ExclusiveCanonicalizer.Canonicalize(node, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static string Framework(object input)
    {
        var transform = new XmlDsigExcC14NTransform();
        transform.LoadInput(input);
        return Encoding.UTF8.GetString(((MemoryStream)transform.GetOutput(typeof(Stream))).ToArray());
    }

    [Test]
    public void A_document_with_a_processing_instruction_is_not_signed()
    {
        using var reader = XmlReader.Create(new StringReader("<R><?pi x?></R>"));
        Assert.Throws<XmlException>(() => ExclusiveCanonicalizer.Canonicalize(reader, Stream.Null));
    }
}
