-- The operator's settings of the rule catalogue (issue 21): the severity of a policy rule raised or silenced by
-- `rules set`, and whether the benefit-code table is declared complete (`codes import --complete`), which makes
-- an unknown benefit code a refusal. A missing row means the catalogue's default.
CREATE TABLE rule_settings (
    name        TEXT NOT NULL PRIMARY KEY,
    value       TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    changed_by  TEXT NOT NULL
);

-- Every change of a setting: when, by whom, what it was before and what it became. Append-only.
CREATE TABLE rule_settings_audit (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    name        TEXT NOT NULL,
    before_value TEXT NOT NULL,
    after_value TEXT NOT NULL
);

CREATE TRIGGER tr_rule_settings_audit_no_update BEFORE UPDATE ON rule_settings_audit
BEGIN
    SELECT RAISE(ABORT, 'rule_settings_audit is append-only');
END;

CREATE TRIGGER tr_rule_settings_audit_no_delete BEFORE DELETE ON rule_settings_audit
BEGIN
    SELECT RAISE(ABORT, 'rule_settings_audit is append-only');
END;

-- Records accepted with at least one warning, per submission, for the compliance report.
ALTER TABLE submissions ADD COLUMN records_warned INTEGER NOT NULL DEFAULT 0;
