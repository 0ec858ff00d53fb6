namespace Siuss.Service.Flows;

/// <summary>What the pipeline needs to know of any streaming flow reader while it reads.</summary>
public interface IFlowReader
{
    /// <summary>The flow's identification, known once the first record has been read.</summary>
    FlowIdentification? Identification { get; }

    /// <summary>Schema violations seen so far.</summary>
    IReadOnlyList<FlowProblem> SchemaErrors { get; }

    /// <summary>Number of records read so far.</summary>
    int RecordCount { get; }
}
