using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Schema;

namespace Siuss.Tests.Conformance;

/// <summary>
/// Proves that the project's own flow schemas in <c>wsdl/</c> accept and reject exactly the
/// documents the official INPS schemas in <c>shared/inps/</c> accept and reject.
/// </summary>
/// <remarks>
/// <para>
/// Every file under <c>Conformance/Samples/{flow}/</c> (copied to the output directory) is
/// validated against both schemas; both verdicts must agree with each other and with the file
/// name: <c>valid-*.xml</c> must be accepted, <c>invalid-*.xml</c> rejected. Invalid samples must
/// still be well-formed XML, so each one exercises the schema and not the parser.
/// A second test compares the compiled structure of the two schemas (elements, order,
/// cardinalities, attributes, effective facets), which catches differences the corpus misses.
/// </para>
/// <para>
/// The official schema is expected at <c>&lt;repo&gt;/../shared/inps/</c> (CI checks out
/// <c>shared/</c> beside the repository). When it is missing the tests fail, never skip:
/// conformance must not go silently unchecked.
/// </para>
/// <para>
/// Adding another flow type: add a <see cref="FlowKind"/> member, its entry in
/// <see cref="Flows"/>, a samples folder, and one more
/// <c>[TestCaseSource(nameof(SamplesOf), new object[] { FlowKind.X })]</c> /
/// <c>[TestCase(FlowKind.X)]</c> line on each test below.
/// </para>
/// </remarks>
[TestFixture]
public sealed class FlowSchemaConformanceTests
{
    /// <summary>Flow types whose project schema is checked against the official one.</summary>
    public enum FlowKind
    {
        /// <summary>PS / PSA benefits with the optional SINA assessment.</summary>
        PsPsaSina,

        /// <summary>SINBA: anonymous records about children and families in care.</summary>
        Sinba,
    }

    /// <summary>Where each flow's schemas and samples live, and how large its corpus must be.</summary>
    /// <param name="SamplesFolder">Folder under <c>Conformance/Samples/</c> in the output directory.</param>
    /// <param name="ProjectXsd">File name under <c>&lt;repo&gt;/wsdl/</c>.</param>
    /// <param name="OfficialXsd">File name under <c>&lt;repo&gt;/../shared/inps/</c>.</param>
    /// <param name="MinValid">Minimum number of <c>valid-*.xml</c> samples.</param>
    /// <param name="MinInvalid">Minimum number of <c>invalid-*.xml</c> samples.</param>
    public sealed record FlowSchemaPair(string SamplesFolder, string ProjectXsd, string OfficialXsd, int MinValid, int MinInvalid);

    private static readonly IReadOnlyDictionary<FlowKind, FlowSchemaPair> Flows = new Dictionary<FlowKind, FlowSchemaPair>
    {
        [FlowKind.PsPsaSina] = new("PsPsaSina", "PS_PSA_SINA.xsd", "PS_PSA_SINA201812.xsd", MinValid: 12, MinInvalid: 25),
        [FlowKind.Sinba] = new("Sinba", "SINBA.xsd", "SINBA.xsd", MinValid: 12, MinInvalid: 25),
    };

    private const string ValidPrefix = "valid-";
    private const string InvalidPrefix = "invalid-";

    /// <summary>Test cases: one per sample file of the given flow (empty if the folder is missing;
    /// <see cref="Corpus_has_enough_valid_and_invalid_samples"/> then fails).</summary>
    public static IEnumerable<TestCaseData> SamplesOf(FlowKind kind)
    {
        var folder = SamplesFolder(Flows[kind]);
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.xml").Order(StringComparer.Ordinal))
        {
            yield return new TestCaseData(kind, file).SetArgDisplayNames(kind.ToString(), Path.GetFileName(file));
        }
    }

    [TestCaseSource(nameof(SamplesOf), new object[] { FlowKind.PsPsaSina })]
    [TestCaseSource(nameof(SamplesOf), new object[] { FlowKind.Sinba })]
    public void Sample_is_judged_alike_by_project_and_official_schema(FlowKind kind, string sampleFile)
    {
        var flow = Flows[kind];
        var name = Path.GetFileName(sampleFile);
        var expectValid = ExpectedValidity(name);

        AssertWellFormed(sampleFile);

        var projectProblems = Validate(sampleFile, LoadSchemaSet(ProjectXsdPath(flow)));
        var officialProblems = Validate(sampleFile, LoadSchemaSet(OfficialXsdPath(flow)));
        var projectValid = projectProblems.Count == 0;
        var officialValid = officialProblems.Count == 0;

        Assert.Multiple(() =>
        {
            Assert.That(projectValid, Is.EqualTo(officialValid),
                $"{name}: the project schema says {Verdict(projectValid)} but the official INPS schema says {Verdict(officialValid)}." +
                Details("project", projectProblems) + Details("official", officialProblems));
            Assert.That(officialValid, Is.EqualTo(expectValid),
                $"{name}: by its name the sample should be {Verdict(expectValid)}, the official INPS schema says {Verdict(officialValid)}." +
                Details("official", officialProblems));
            Assert.That(projectValid, Is.EqualTo(expectValid),
                $"{name}: by its name the sample should be {Verdict(expectValid)}, the project schema says {Verdict(projectValid)}." +
                Details("project", projectProblems));
        });
    }

    [TestCase(FlowKind.PsPsaSina)]
    [TestCase(FlowKind.Sinba)]
    public void Corpus_has_enough_valid_and_invalid_samples(FlowKind kind)
    {
        var flow = Flows[kind];
        var folder = SamplesFolder(flow);
        Assert.That(Directory.Exists(folder), Is.True,
            $"Sample folder {folder} is missing from the test output. Siuss.Tests.csproj needs " +
            "<None Include=\"Conformance\\Samples\\**\\*\" CopyToOutputDirectory=\"PreserveNewest\" />.");

        var names = Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f)).ToList();
        var valid = names.Count(n => n.StartsWith(ValidPrefix, StringComparison.Ordinal));
        var invalid = names.Count(n => n.StartsWith(InvalidPrefix, StringComparison.Ordinal));
        var strays = names.Where(n => !IsSampleName(n)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(valid, Is.GreaterThanOrEqualTo(flow.MinValid), $"valid samples in {folder}");
            Assert.That(invalid, Is.GreaterThanOrEqualTo(flow.MinInvalid), $"invalid samples in {folder}");
            Assert.That(strays, Is.Empty, "every sample must be named valid-*.xml or invalid-*.xml");
        });
    }

    [TestCase(FlowKind.PsPsaSina)]
    [TestCase(FlowKind.Sinba)]
    public void Project_schema_declares_the_same_structure_as_the_official_one(FlowKind kind)
    {
        var flow = Flows[kind];
        var project = SchemaShape.Describe(LoadSchemaSet(ProjectXsdPath(flow)));
        var official = SchemaShape.Describe(LoadSchemaSet(OfficialXsdPath(flow)));

        Assert.That(project, Is.EqualTo(official),
            $"Compiled structure of wsdl/{flow.ProjectXsd} differs from the official {flow.OfficialXsd} " +
            "(one line per element, attribute or content particle; see the first differing index).");
    }

    // ------------------------------------------------------------------ validation helpers

    private static readonly Dictionary<string, XmlSchemaSet> SchemaCache = new(StringComparer.Ordinal);
    private static readonly Lock SchemaCacheLock = new();

    /// <summary>Loads and compiles one schema file, without DTDs or external resolution.</summary>
    private static XmlSchemaSet LoadSchemaSet(string xsdPath)
    {
        lock (SchemaCacheLock)
        {
            if (SchemaCache.TryGetValue(xsdPath, out var cached))
            {
                return cached;
            }

            var errors = new List<string>();
            var set = new XmlSchemaSet { XmlResolver = null };
            set.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message}");
            using (var reader = XmlReader.Create(xsdPath, SafeReaderSettings()))
            {
                var schema = XmlSchema.Read(reader, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));
                Assert.That(schema, Is.Not.Null, $"Schema {xsdPath} could not be read: {string.Join("; ", errors)}");
                set.Add(schema!);
            }

            set.Compile();
            Assert.That(errors, Is.Empty, $"Schema {xsdPath} does not load cleanly.");
            SchemaCache[xsdPath] = set;
            return set;
        }
    }

    /// <summary>
    /// Validates one document and returns every problem. Warnings count as problems: .NET only
    /// warns (does not err) when it finds no declaration for an element, e.g. a root in a
    /// foreign or empty namespace, and such a document is not valid against the schema.
    /// <see cref="XmlSchemaValidationFlags.AllowXmlAttributes"/> is left off so that undeclared
    /// xml:* attributes are rejected, as the XSD specification (and libxml2) require.
    /// </summary>
    private static List<string> Validate(string xmlPath, XmlSchemaSet schemas)
    {
        var problems = new List<string>();
        var settings = SafeReaderSettings();
        settings.ValidationType = ValidationType.Schema;
        settings.Schemas = schemas;
        settings.ValidationFlags = XmlSchemaValidationFlags.ProcessIdentityConstraints
                                   | XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => problems.Add(
            $"{e.Severity} at {e.Exception?.LineNumber}:{e.Exception?.LinePosition}: {e.Message}");

        try
        {
            using var reader = XmlReader.Create(xmlPath, settings);
            while (reader.Read())
            {
            }
        }
        catch (XmlException ex)
        {
            problems.Add($"Not well-formed: {ex.Message}");
        }

        return problems;
    }

    private static void AssertWellFormed(string xmlPath)
    {
        try
        {
            using var reader = XmlReader.Create(xmlPath, SafeReaderSettings());
            while (reader.Read())
            {
            }
        }
        catch (XmlException ex)
        {
            Assert.Fail($"{Path.GetFileName(xmlPath)} is not well-formed XML ({ex.Message}); " +
                        "samples must break the schema, not the XML syntax.");
        }
    }

    private static XmlReaderSettings SafeReaderSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
    };

    private static bool ExpectedValidity(string fileName)
    {
        if (fileName.StartsWith(ValidPrefix, StringComparison.Ordinal))
        {
            return true;
        }

        if (fileName.StartsWith(InvalidPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        Assert.Fail($"{fileName}: sample names must start with '{ValidPrefix}' or '{InvalidPrefix}'.");
        return false;
    }

    private static bool IsSampleName(string name) =>
        name.EndsWith(".xml", StringComparison.Ordinal)
        && (name.StartsWith(ValidPrefix, StringComparison.Ordinal) || name.StartsWith(InvalidPrefix, StringComparison.Ordinal));

    private static string Verdict(bool valid) => valid ? "valid" : "invalid";

    private static string Details(string which, IReadOnlyCollection<string> problems) =>
        problems.Count == 0 ? string.Empty : $"{Environment.NewLine}  {which}: {string.Join(Environment.NewLine + "  " + which + ": ", problems)}";

    // ------------------------------------------------------------------ locating files

    private static string SamplesFolder(FlowSchemaPair flow) =>
        Path.Combine(AppContext.BaseDirectory, "Conformance", "Samples", flow.SamplesFolder);

    private static string ProjectXsdPath(FlowSchemaPair flow)
    {
        var path = Path.Combine(RepositoryRoot(), "wsdl", flow.ProjectXsd);
        if (!File.Exists(path))
        {
            Assert.Fail($"Project schema not found at {path}.");
        }

        return path;
    }

    private static string OfficialXsdPath(FlowSchemaPair flow)
    {
        var path = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "inps", flow.OfficialXsd));
        if (!File.Exists(path))
        {
            Assert.Fail($"Official INPS schema not found at {path}. The conformance tests need the official " +
                        $"layouts checked out as shared/inps/ beside the repository (shared/inps/{flow.OfficialXsd}); " +
                        "they fail instead of skipping so that conformance is never silently unchecked.");
        }

        return path;
    }

    /// <summary>The folder holding <c>Siuss.sln</c>, found by walking up from the test directory.</summary>
    private static string RepositoryRoot()
    {
        var start = TestContext.CurrentContext.TestDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Siuss.sln")))
            {
                return dir.FullName;
            }
        }

        Assert.Fail($"No folder containing Siuss.sln above {start}.");
        return start;
    }

    // ------------------------------------------------------------------ structural comparison

    /// <summary>
    /// Renders a compiled schema set as lines that capture what decides validity: global
    /// elements, content models (order, cardinality, nesting), attribute uses, effective
    /// facets of simple types, and the names of element types (an instance may name them with
    /// xsi:type). Documentation, type names of attributes and declaration order of attributes
    /// are left out: they do not change which documents are valid.
    /// </summary>
    private static class SchemaShape
    {
        public static List<string> Describe(XmlSchemaSet set)
        {
            var lines = new List<string>();
            var globals = set.GlobalElements.Values.Cast<XmlSchemaElement>()
                .OrderBy(e => e.QualifiedName.ToString(), StringComparer.Ordinal);
            foreach (var element in globals)
            {
                DescribeElement(set, element, element, 0, lines, []);
            }

            return lines;
        }

        private static void DescribeElement(XmlSchemaSet set, XmlSchemaElement occurrence, XmlSchemaElement declaration,
            int depth, List<string> lines, HashSet<XmlSchemaType> open)
        {
            var pad = new string(' ', depth * 2);
            var type = declaration.ElementSchemaType;
            var line = new StringBuilder($"{pad}element {declaration.QualifiedName} {Occurs(occurrence)}");
            line.Append(CultureInfo.InvariantCulture, $" type={TypeName(type)}");
            line.Append(CultureInfo.InvariantCulture, $" xsi:type-substitutes=[{string.Join(",", Substitutes(set, type))}]");
            if (declaration.IsNillable) line.Append(" nillable");
            if (declaration.IsAbstract) line.Append(" abstract");
            if (declaration.DefaultValue is not null) line.Append(CultureInfo.InvariantCulture, $" default='{declaration.DefaultValue}'");
            if (declaration.FixedValue is not null) line.Append(CultureInfo.InvariantCulture, $" fixed='{declaration.FixedValue}'");
            lines.Add(line.ToString());

            switch (type)
            {
                case XmlSchemaSimpleType simple:
                    lines.Add($"{pad}  text {DescribeSimple(simple)}");
                    break;
                case XmlSchemaComplexType complex when !open.Add(complex):
                    lines.Add($"{pad}  (recursive {TypeName(complex)})");
                    break;
                case XmlSchemaComplexType complex:
                    DescribeComplex(set, complex, depth + 1, lines, open);
                    open.Remove(complex);
                    break;
            }
        }

        private static void DescribeComplex(XmlSchemaSet set, XmlSchemaComplexType type, int depth, List<string> lines,
            HashSet<XmlSchemaType> open)
        {
            var pad = new string(' ', depth * 2);
            lines.Add($"{pad}content {type.ContentType}{(type.IsMixed ? " mixed" : string.Empty)}{(type.IsAbstract ? " abstract" : string.Empty)}");

            var attributes = type.AttributeUses.Values.Cast<XmlSchemaAttribute>()
                .OrderBy(a => a.QualifiedName.ToString(), StringComparer.Ordinal);
            foreach (var attribute in attributes)
            {
                var use = attribute.Use switch
                {
                    XmlSchemaUse.Required => "required",
                    XmlSchemaUse.Prohibited => "prohibited",
                    _ => "optional",
                };
                var extra = (attribute.DefaultValue is null ? string.Empty : $" default='{attribute.DefaultValue}'")
                            + (attribute.FixedValue is null ? string.Empty : $" fixed='{attribute.FixedValue}'");
                lines.Add($"{pad}@{attribute.QualifiedName} {use} {DescribeSimple(attribute.AttributeSchemaType)}{extra}");
            }

            if (type.AttributeWildcard is { } wildcard)
            {
                lines.Add($"{pad}@any namespace='{wildcard.Namespace}' process={wildcard.ProcessContents}");
            }

            if (type.ContentType == XmlSchemaContentType.TextOnly)
            {
                lines.Add($"{pad}text {DescribeSimpleContent(type)}");
            }

            DescribeParticle(set, type.ContentTypeParticle, depth, lines, open);
        }

        private static void DescribeParticle(XmlSchemaSet set, XmlSchemaParticle? particle, int depth, List<string> lines,
            HashSet<XmlSchemaType> open)
        {
            var pad = new string(' ', depth * 2);
            switch (particle)
            {
                case XmlSchemaElement element:
                    var declaration = element.RefName.IsEmpty
                        ? element
                        : (XmlSchemaElement)set.GlobalElements[element.RefName]!;
                    DescribeElement(set, element, declaration, depth, lines, open);
                    break;
                case XmlSchemaGroupBase group:
                    var kind = group switch
                    {
                        XmlSchemaSequence => "sequence",
                        XmlSchemaChoice => "choice",
                        XmlSchemaAll => "all",
                        _ => group.GetType().Name,
                    };
                    lines.Add($"{pad}{kind} {Occurs(group)}");
                    foreach (var item in group.Items.OfType<XmlSchemaParticle>())
                    {
                        DescribeParticle(set, item, depth + 1, lines, open);
                    }

                    break;
                case XmlSchemaGroupRef groupRef:
                    DescribeParticle(set, groupRef.Particle, depth, lines, open);
                    break;
                case XmlSchemaAny any:
                    lines.Add($"{pad}any namespace='{any.Namespace}' process={any.ProcessContents} {Occurs(any)}");
                    break;
                case null:
                    break;
                default:
                    // The compiled "empty" particle of a type without element content.
                    if (particle.MaxOccurs != 0 && particle.GetType().Name != "EmptyParticle")
                    {
                        lines.Add($"{pad}{particle.GetType().Name} {Occurs(particle)}");
                    }

                    break;
            }
        }

        private static string DescribeSimpleContent(XmlSchemaComplexType type)
        {
            var facets = new List<string>();
            XmlSchemaType? current = type;
            while (current is XmlSchemaComplexType complex)
            {
                if (complex.ContentModel?.Content is XmlSchemaSimpleContentRestriction restriction)
                {
                    facets.AddRange(restriction.Facets.OfType<XmlSchemaFacet>().Select(f => $"{f.GetType().Name}={f.Value}"));
                }

                current = complex.BaseXmlSchemaType;
            }

            var simple = current as XmlSchemaSimpleType;
            return $"{(simple is null ? "?" : DescribeSimple(simple))}{(facets.Count == 0 ? string.Empty : " +" + string.Join(",", facets.Order(StringComparer.Ordinal)))}";
        }

        /// <summary>Effective value space of a simple type: built-in base plus merged facets.</summary>
        private static string DescribeSimple(XmlSchemaSimpleType? type)
        {
            if (type is null)
            {
                return "anySimpleType";
            }

            long minLength = 0;
            long maxLength = long.MaxValue;
            List<string>? enumeration = null;
            var patternLevels = new List<string>();
            var otherFacets = new SortedDictionary<string, string>(StringComparer.Ordinal);
            string? variety = null;

            XmlSchemaType? current = type;
            while (current is XmlSchemaSimpleType simple && current.QualifiedName.Namespace != XmlSchema.Namespace)
            {
                switch (simple.Content)
                {
                    case XmlSchemaSimpleTypeRestriction restriction:
                        var levelPatterns = new List<string>();
                        var levelEnumeration = new List<string>();
                        foreach (var facet in restriction.Facets.OfType<XmlSchemaFacet>())
                        {
                            switch (facet)
                            {
                                case XmlSchemaLengthFacet:
                                    minLength = Math.Max(minLength, long.Parse(facet.Value!, CultureInfo.InvariantCulture));
                                    maxLength = Math.Min(maxLength, long.Parse(facet.Value!, CultureInfo.InvariantCulture));
                                    break;
                                case XmlSchemaMinLengthFacet:
                                    minLength = Math.Max(minLength, long.Parse(facet.Value!, CultureInfo.InvariantCulture));
                                    break;
                                case XmlSchemaMaxLengthFacet:
                                    maxLength = Math.Min(maxLength, long.Parse(facet.Value!, CultureInfo.InvariantCulture));
                                    break;
                                case XmlSchemaPatternFacet:
                                    levelPatterns.Add(Unwrap(facet.Value!));
                                    break;
                                case XmlSchemaEnumerationFacet:
                                    levelEnumeration.Add(facet.Value!);
                                    break;
                                default:
                                    // The most derived value wins (a restriction may only tighten).
                                    otherFacets.TryAdd(facet.GetType().Name.Replace("XmlSchema", string.Empty, StringComparison.Ordinal), facet.Value!);
                                    break;
                            }
                        }

                        if (levelPatterns.Count > 0)
                        {
                            patternLevels.Add(string.Join(" | ", levelPatterns.Order(StringComparer.Ordinal)));
                        }

                        if (levelEnumeration.Count > 0)
                        {
                            enumeration ??= levelEnumeration;
                        }

                        break;
                    case XmlSchemaSimpleTypeList list:
                        variety = $"list of ({DescribeSimple(list.BaseItemType)})";
                        break;
                    case XmlSchemaSimpleTypeUnion union:
                        variety = $"union of ({string.Join("; ", (union.BaseMemberTypes ?? []).Select(DescribeSimple))})";
                        break;
                }

                if (variety is not null)
                {
                    break;
                }

                current = simple.BaseXmlSchemaType;
            }

            var text = new StringBuilder(variety ?? (current?.QualifiedName.Name ?? "anySimpleType"));
            if (minLength > 0 || maxLength < long.MaxValue)
            {
                text.Append(CultureInfo.InvariantCulture, $" length[{minLength}..{(maxLength == long.MaxValue ? "*" : maxLength.ToString(CultureInfo.InvariantCulture))}]");
            }

            if (enumeration is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $" enum{{{string.Join(",", enumeration.Order(StringComparer.Ordinal).Select(v => $"'{v}'"))}}}");
            }

            foreach (var level in patternLevels.Order(StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $" pattern{{{level}}}");
            }

            foreach (var (name, value) in otherFacets)
            {
                text.Append(CultureInfo.InvariantCulture, $" {name}={value}");
            }

            return text.ToString();
        }

        /// <summary>Named types an instance could put in xsi:type instead of <paramref name="declared"/>.</summary>
        private static IEnumerable<string> Substitutes(XmlSchemaSet set, XmlSchemaType? declared)
        {
            if (declared is null || declared.QualifiedName.IsEmpty)
            {
                return [];
            }

            return set.GlobalTypes.Values.Cast<XmlSchemaType>()
                .Where(t => t == declared || XmlSchemaType.IsDerivedFrom(t, declared, XmlSchemaDerivationMethod.Empty))
                .Select(t => t.QualifiedName.ToString())
                .Order(StringComparer.Ordinal);
        }

        private static string TypeName(XmlSchemaType? type) =>
            type is null || type.QualifiedName.IsEmpty ? "(anonymous)" : type.QualifiedName.ToString();

        private static string Occurs(XmlSchemaParticle particle) =>
            $"[{particle.MinOccurs.ToString(CultureInfo.InvariantCulture)}..{(particle.MaxOccurs == decimal.MaxValue ? "*" : particle.MaxOccurs.ToString(CultureInfo.InvariantCulture))}]";

        /// <summary>Drops one pair of parentheses around the whole pattern: "(a)" and "a" match the same strings.</summary>
        private static string Unwrap(string pattern)
        {
            if (pattern.Length < 2 || pattern[0] != '(' || pattern[^1] != ')')
            {
                return pattern;
            }

            var depth = 0;
            var inClass = false;
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if (c == '\\')
                {
                    i++;
                    continue;
                }

                if (inClass)
                {
                    inClass = c != ']';
                    continue;
                }

                switch (c)
                {
                    case '[':
                        inClass = true;
                        break;
                    case '(':
                        depth++;
                        break;
                    case ')':
                        depth--;
                        if (depth == 0 && i < pattern.Length - 1)
                        {
                            return pattern; // the first group closes before the end: not a wrapper
                        }

                        break;
                }
            }

            return pattern[1..^1];
        }
    }
}
