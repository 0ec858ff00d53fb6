namespace Siuss.Service.Rules;

/// <summary>A broken rule: its stable code, the field concerned and an English message.</summary>
public sealed record RuleViolation(string Code, string? Field, string Message)
{
    /// <summary>True when the violation means "inconsistent with the register" rather than "invalid".</summary>
    public bool IsDataNotFound => Code == RuleCodes.RecordNotFound;
}
