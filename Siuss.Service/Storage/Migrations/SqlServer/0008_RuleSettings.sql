-- The operator's settings of the rule catalogue (issue 21): the severity of a policy rule raised or silenced by
-- `rules set`, and whether the benefit-code table is declared complete (`codes import --complete`), which makes
-- an unknown benefit code a refusal. A missing row means the catalogue's default.
CREATE TABLE rule_settings (
    name        NVARCHAR(64)  NOT NULL PRIMARY KEY,
    value       NVARCHAR(16)  NOT NULL,
    changed_at  DATETIME2     NOT NULL,
    changed_by  NVARCHAR(128) NOT NULL
);

-- Every change of a setting: when, by whom, what it was before and what it became. Append-only.
CREATE TABLE rule_settings_audit (
    id           BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    occurred_at  DATETIME2     NOT NULL,
    changed_by   NVARCHAR(128) NOT NULL,
    name         NVARCHAR(64)  NOT NULL,
    before_value NVARCHAR(16)  NOT NULL,
    after_value  NVARCHAR(16)  NOT NULL
);
GO

CREATE TRIGGER tr_rule_settings_audit_append_only ON rule_settings_audit INSTEAD OF UPDATE, DELETE
AS
BEGIN
    THROW 51000, 'rule_settings_audit is append-only', 1;
END;
GO

-- Records accepted with at least one warning, per submission, for the compliance report.
ALTER TABLE submissions ADD records_warned INT NOT NULL CONSTRAINT df_submissions_records_warned DEFAULT 0;
