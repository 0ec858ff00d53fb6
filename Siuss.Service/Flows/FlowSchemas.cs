using System.Xml;
using System.Xml.Schema;
using Siuss.Signing;

namespace Siuss.Service.Flows;

/// <summary>The project's own XSDs (from <c>wsdl/</c>, embedded), compiled once.</summary>
public static class FlowSchemas
{
    private static readonly Lazy<XmlSchemaSet> PsPsaSinaSet = new(() => Compile("PS_PSA_SINA.xsd"));

    private static readonly Lazy<XmlSchemaSet> SinbaSet = new(() => Compile("SINBA.xsd"));

    /// <summary>The compiled schema of PS_PSA_SINA flows.</summary>
    public static XmlSchemaSet PsPsaSina => PsPsaSinaSet.Value;

    /// <summary>The compiled schema of SINBA flows (same namespace and root as PS_PSA_SINA, so a set of its own).</summary>
    public static XmlSchemaSet Sinba => SinbaSet.Value;

    /// <summary>Compiles one embedded schema; schemas never resolve external resources.</summary>
    public static XmlSchemaSet Compile(string fileName)
    {
        var assembly = typeof(FlowSchemas).Assembly;
        using var stream = assembly.GetManifestResourceStream("Siuss.Schemas." + fileName)
            ?? throw new InvalidOperationException($"Schema {fileName} is not embedded.");
        using var reader = XmlReader.Create(stream, SafeXml.ReaderSettings(10_000_000));
        var set = new XmlSchemaSet { XmlResolver = null };
        set.Add(XmlSchema.Read(reader, null)!);
        set.Compile();
        return set;
    }

    /// <summary>Reader settings that validate against a schema set while streaming untrusted input.</summary>
    public static XmlReaderSettings ValidatingSettings(XmlSchemaSet schemas, long maxCharacters)
    {
        var settings = SafeXml.ReaderSettings(maxCharacters);
        settings.ValidationType = ValidationType.Schema;
        settings.Schemas = schemas;
        settings.ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.IgnoreComments = true;
        settings.IgnoreWhitespace = true;
        return settings;
    }
}
