using Dapper;

namespace Siuss.Service.Storage;

/// <summary>One audited change of a rule setting: when, by whom, what it was and what it became.</summary>
public sealed class RuleSettingChange
{
    public DateTime OccurredAt { get; set; }
    public string ChangedBy { get; set; } = "";
    /// <summary>A rule code, or the name of another setting of the rule catalogue.</summary>
    public string Name { get; set; } = "";
    public string BeforeValue { get; set; } = "";
    public string AfterValue { get; set; } = "";
}

/// <summary>
/// The operator's settings of the rule catalogue (<c>rule_settings</c>) and their append-only audit
/// (<c>rule_settings_audit</c>): a setting changes only with its audit row, in one transaction.
/// </summary>
public sealed class RuleSettingsRepository(Database database, TimeProvider clock)
{
    private const string SelectSettings = "SELECT name AS Name, value AS Value FROM rule_settings";
    private const string SelectSetting = "SELECT value FROM rule_settings WHERE name = @name";
    private const string UpdateSetting = "UPDATE rule_settings SET value = @value, changed_at = @at, changed_by = @by WHERE name = @name";
    private const string InsertSetting = "INSERT INTO rule_settings (name, value, changed_at, changed_by) VALUES (@name, @value, @at, @by)";
    private const string InsertAudit =
        "INSERT INTO rule_settings_audit (occurred_at, changed_by, name, before_value, after_value) VALUES (@at, @by, @name, @before, @value)";
    private const string SelectAudit =
        "SELECT occurred_at AS OccurredAt, changed_by AS ChangedBy, name AS Name, before_value AS BeforeValue, after_value AS AfterValue " +
        "FROM rule_settings_audit ORDER BY id";

    /// <summary>Every stored setting by name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string Name, string Value)>(SelectSettings);
        return rows.ToDictionary(r => r.Name, r => r.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Sets <paramref name="name"/> to <paramref name="value"/> and audits the change; <paramref name="defaultValue"/> is
    /// what the audit records as "before" when the setting was never set. Returns the audited change.
    /// </summary>
    public async Task<RuleSettingChange> SetAsync(string name, string value, string defaultValue, string changedBy, CancellationToken ct = default)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var before = await connection.ExecuteScalarAsync<string?>(SelectSetting, new { name }, transaction) ?? defaultValue;
        var row = new { name, value, at, by = changedBy, before };
        if (await connection.ExecuteAsync(UpdateSetting, row, transaction) == 0)
            await connection.ExecuteAsync(InsertSetting, row, transaction);
        await connection.ExecuteAsync(InsertAudit, row, transaction);
        await transaction.CommitAsync(ct);
        return new RuleSettingChange { OccurredAt = at, ChangedBy = changedBy, Name = name, BeforeValue = before, AfterValue = value };
    }

    /// <summary>Every audited change, oldest first.</summary>
    public async Task<IReadOnlyList<RuleSettingChange>> AuditAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<RuleSettingChange>(SelectAudit)).AsList();
    }
}
