namespace Siuss.Service.Submission;

/// <summary>
/// A request refused before its sender was authenticated (or whose identity is in doubt); the host
/// turns it into a SOAP fault whose code is <see cref="Code"/>, one of <c>Siuss.Contracts.FaultCodes</c>.
/// </summary>
public sealed class RegisterFaultException(string code, string message) : Exception(message)
{
    /// <summary>The stable fault code.</summary>
    public string Code { get; } = code;
}
