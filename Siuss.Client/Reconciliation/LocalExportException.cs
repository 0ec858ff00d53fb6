namespace Siuss.Client.Reconciliation;

/// <summary>A local export (CSV file or flow files) that cannot be read as records; the message names the file and the place, never a value.</summary>
public sealed class LocalExportException(string message) : Exception(message);
