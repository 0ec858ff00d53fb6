using Microsoft.Extensions.Options;
using Siuss.Service.Options;
using Siuss.Service.Storage;

namespace Siuss.Service.Rules;

/// <summary>
/// What each rule does to its record now: the catalogue's default (sourced rules refuse, policy rules warn), a policy
/// rule's severity from the configuration, and over both the operator's <c>rules set</c>; the benefit-code rules refuse
/// once the code table is declared complete.
/// </summary>
public sealed class RuleSeverities
{
    /// <summary>The <c>rule_settings</c> name of the code table's completeness (value <c>true</c> or <c>false</c>).</summary>
    public const string CodeTableCompleteSetting = "code-table-complete";

    private static readonly Dictionary<string, RuleDescription> ByCode = RuleCodes.Catalogue.ToDictionary(r => r.Code, StringComparer.Ordinal);
    private readonly Dictionary<string, (RuleSeverity Severity, string From)> _effective = new(StringComparer.Ordinal);

    /// <summary>The catalogue's defaults with the code table not declared complete.</summary>
    public static RuleSeverities Default { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>Builds the severities from the configuration's and the database's settings (both already validated names and values).</summary>
    public RuleSeverities(IReadOnlyDictionary<string, string> configured, IReadOnlyDictionary<string, string> stored)
    {
        CodeTableComplete = stored.TryGetValue(CodeTableCompleteSetting, out var complete) && complete == "true";
        foreach (var rule in RuleCodes.Catalogue)
        {
            (RuleSeverity, string) effective = (rule.DefaultSeverity(CodeTableComplete), "default");
            if (rule.IsAdjustable && configured.TryGetValue(rule.Code, out var c) && TryParse(c, out var fromConfiguration))
                effective = (fromConfiguration, "configuration");
            if (rule.IsAdjustable && stored.TryGetValue(rule.Code, out var s) && TryParse(s, out var fromOperator))
                effective = (fromOperator, "rules set");
            _effective[rule.Code] = effective;
        }
    }

    /// <summary>True once the operator has declared the benefit-code table complete.</summary>
    public bool CodeTableComplete { get; }

    /// <summary>What a violation of <paramref name="code"/> does; a code outside the catalogue refuses.</summary>
    public RuleSeverity Of(string code) => _effective.TryGetValue(code, out var e) ? e.Severity : RuleSeverity.Refuse;

    /// <summary>The severity of <paramref name="code"/> and where it comes from (<c>default</c>, <c>configuration</c>, <c>rules set</c>).</summary>
    public (RuleSeverity Severity, string From) Explain(string code) => _effective.TryGetValue(code, out var e) ? e : (RuleSeverity.Refuse, "default");

    /// <summary>The catalogue entry of a code, if it is one.</summary>
    public static RuleDescription? Describe(string code) => ByCode.GetValueOrDefault(code);

    /// <summary>The words an operator uses: <c>refuse</c>, <c>warn</c>, <c>off</c>.</summary>
    public static string Text(RuleSeverity severity) => severity switch
    {
        RuleSeverity.Refuse => "refuse",
        RuleSeverity.Warn => "warn",
        _ => "off",
    };

    /// <summary>Reads <c>refuse</c>, <c>warn</c> or <c>off</c> (any case).</summary>
    public static bool TryParse(string? text, out RuleSeverity severity)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "refuse": severity = RuleSeverity.Refuse; return true;
            case "warn": severity = RuleSeverity.Warn; return true;
            case "off": severity = RuleSeverity.Off; return true;
            default: severity = RuleSeverity.Refuse; return false;
        }
    }

    /// <summary>Why an operator may not set <paramref name="code"/> to <paramref name="severity"/>, or null when they may.</summary>
    public static string? Problem(string code, string? severity)
    {
        if (Describe(code) is not { } rule) return $"'{code}' is not a rule code (see docs/rules.md).";
        if (!rule.IsAdjustable)
            return $"{code} rests on the {rule.Basis.ToString().ToLowerInvariant()} ({rule.Source}); only register-policy rules can be changed.";
        if (!TryParse(severity, out _)) return $"'{severity}' is not a severity: refuse, warn or off.";
        return null;
    }
}

/// <summary>Checks at start that every configured severity names a policy rule and a severity.</summary>
public sealed class RuleOptionsValidator : IValidateOptions<SiussOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiussOptions options)
    {
        var problems = options.Rules.Severity
            .Select(pair => RuleSeverities.Problem(pair.Key, pair.Value) is { } problem ? $"Siuss:Rules:Severity:{pair.Key}: {problem}" : null)
            .OfType<string>()
            .ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// The severities as the database and configuration hold them now, re-read every <see cref="SiussOptions.CodeTableRefresh"/>
/// like the code table, so an operator's <c>rules set</c> reaches running registers without a restart.
/// </summary>
public sealed class RuleSeverityCatalog(RuleSettingsRepository settings, IOptions<SiussOptions> options, TimeProvider clock)
{
    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(RuleSeverities Severities, DateTimeOffset LoadedAt);

    /// <summary>The current severities.</summary>
    public async Task<RuleSeverities> CurrentAsync(CancellationToken ct = default)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && clock.GetUtcNow() - snapshot.LoadedAt < options.Value.CodeTableRefresh) return snapshot.Severities;
        var severities = new RuleSeverities(options.Value.Rules.Severity, await settings.ReadAsync(ct));
        _snapshot = new Snapshot(severities, clock.GetUtcNow());
        return severities;
    }

    /// <summary>Sets a policy rule's severity (audited); throws <see cref="ArgumentException"/> when <see cref="RuleSeverities.Problem"/> says no.</summary>
    public async Task<RuleSettingChange> SetSeverityAsync(string code, string severity, string changedBy, CancellationToken ct = default)
    {
        if (RuleSeverities.Problem(code, severity) is { } problem) throw new ArgumentException(problem);
        RuleSeverities.TryParse(severity, out var parsed);
        var before = (await CurrentAsync(ct)).Explain(code).Severity;
        var change = await settings.SetAsync(code, RuleSeverities.Text(parsed), RuleSeverities.Text(before), changedBy, ct);
        _snapshot = null;
        return change;
    }

    /// <summary>Declares the benefit-code table complete (an unknown code then refuses) or not (audited).</summary>
    public async Task<RuleSettingChange> SetCodeTableCompleteAsync(bool complete, string changedBy, CancellationToken ct = default)
    {
        var change = await settings.SetAsync(RuleSeverities.CodeTableCompleteSetting, complete ? "true" : "false", "false", changedBy, ct);
        _snapshot = null;
        return change;
    }
}
