namespace Siuss.Client.Submission;

/// <summary>The layout of a folder of flow files: which files are flows and where each one's receipt goes.</summary>
public static class FlowFolder
{
    /// <summary>The suffix of a saved receipt: <c>flow.xml</c> gets <c>flow.ricevuta.xml</c> beside it.</summary>
    public const string ReceiptSuffix = ".ricevuta.xml";

    /// <summary>The flow files: the folder's own <c>*.xml</c> files (not subfolders), except saved receipts, in name order.</summary>
    public static IReadOnlyList<string> FlowFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.xml", SearchOption.TopDirectoryOnly)
            .Where(path => !path.EndsWith(ReceiptSuffix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Where the verified receipt of <paramref name="flowPath"/> is saved, byte for byte as the register signed it.</summary>
    public static string ReceiptPath(string flowPath) =>
        Path.Combine(Path.GetDirectoryName(flowPath)!, Path.GetFileNameWithoutExtension(flowPath) + ReceiptSuffix);
}
