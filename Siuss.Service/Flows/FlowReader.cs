using System.Xml;
using System.Xml.Schema;

namespace Siuss.Service.Flows;

/// <summary>A problem found while reading a flow: where, and what.</summary>
public sealed record FlowProblem(string Code, string Message, int Line = 0, int Position = 0);

/// <summary>
/// What every streaming flow reader shares: a validating XmlReader over the flow, the schema errors
/// it reports (up to a limit), the flow's identification and the count of records read.
/// Each flow type adds only the reading of its own records.
/// </summary>
public abstract class FlowReader : IDisposable
{
    private readonly int _maxSchemaErrors;
    private readonly List<FlowProblem> _schemaErrors = [];
    private string? _flowName;

    /// <summary>Opens a validating reader over the flow bytes (the stream is not closed by this reader).</summary>
    protected FlowReader(Stream flow, XmlSchemaSet schemas, long maxCharacters, int maxSchemaErrors)
    {
        _maxSchemaErrors = maxSchemaErrors;
        var settings = FlowSchemas.ValidatingSettings(schemas, maxCharacters);
        settings.ValidationEventHandler += OnValidation;
        Reader = XmlReader.Create(flow, settings);
    }

    /// <summary>The underlying reader, positioned by the derived reader's loop.</summary>
    protected XmlReader Reader { get; }

    /// <summary>The flow's identification, known once the first record has been read.</summary>
    public FlowIdentification? Identification { get; private set; }

    /// <summary>Schema violations seen so far.</summary>
    public IReadOnlyList<FlowProblem> SchemaErrors => _schemaErrors;

    /// <summary>True once the schema-error limit is reached: the caller should stop reading.</summary>
    public bool TooManyErrors => _schemaErrors.Count >= _maxSchemaErrors;

    /// <summary>Number of records read (or started) so far.</summary>
    public int RecordCount { get; protected set; }

    /// <inheritdoc />
    public void Dispose()
    {
        Reader.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>When the reader is on <c>IdentificazioneFlusso</c> or <c>Ente</c>, records it and returns true.</summary>
    protected bool TryReadIdentification()
    {
        switch (Reader.LocalName)
        {
            case "IdentificazioneFlusso":
                _flowName = Reader.GetAttribute("Nome");
                return true;
            case "Ente":
                Identification = new FlowIdentification(
                    _flowName ?? "", Attr("Codice"), Reader.GetAttribute("Denominazione"), Attr("Indirizzo"), Attr("CFOperatore"));
                return true;
            default:
                return false;
        }
    }

    /// <summary>An attribute of the current element, empty when absent.</summary>
    protected string Attr(string name) => Reader.GetAttribute(name) ?? "";

    /// <summary>The schema error message as it may appear in a receipt; a flow type may withhold values from it.</summary>
    protected virtual string DescribeSchemaError(string message) => message;

    private void OnValidation(object? sender, ValidationEventArgs e)
    {
        if (_schemaErrors.Count < _maxSchemaErrors)
            _schemaErrors.Add(new FlowProblem(Rules.RuleCodes.FlowSchemaInvalid, DescribeSchemaError(e.Message),
                e.Exception?.LineNumber ?? 0, e.Exception?.LinePosition ?? 0));
    }
}
