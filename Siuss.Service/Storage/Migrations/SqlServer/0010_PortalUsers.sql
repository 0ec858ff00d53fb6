-- The web channel's operators (issue 16): one account per person of a paying body, created by `user add` with a
-- one-time activation link (only its SHA-256 is kept), activated with a password (ASP.NET Core Identity's hash) and
-- a TOTP secret (encrypted by the host's data-protection keys). Failed attempts lock the account for a while.
CREATE TABLE portal_users (
    id                    NVARCHAR(36)  NOT NULL PRIMARY KEY,
    agency_code           NVARCHAR(32)  NOT NULL REFERENCES agencies(code),
    email                 NVARCHAR(254) NOT NULL CONSTRAINT uq_portal_users_email UNIQUE,
    password_hash         NVARCHAR(256) NULL,
    totp_secret           NVARCHAR(1024) NULL,
    activation_token_hash NVARCHAR(64)  NULL,
    activation_expires_at DATETIME2     NULL,
    failed_attempts       INT           NOT NULL CONSTRAINT df_portal_users_failed DEFAULT 0,
    locked_until          DATETIME2     NULL,
    last_totp_step        BIGINT        NULL,
    created_at            DATETIME2     NOT NULL,
    activated_at          DATETIME2     NULL,
    disabled_at           DATETIME2     NULL
);
GO

CREATE UNIQUE INDEX ux_portal_users_activation ON portal_users (activation_token_hash) WHERE activation_token_hash IS NOT NULL;
GO

-- Every login (and failed one) and every action in the web channel: who, for which body, in which session and
-- request. Append-only.
CREATE TABLE portal_audit (
    id             BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    occurred_at    DATETIME2     NOT NULL,
    user_id        NVARCHAR(36)  NULL,
    agency_code    NVARCHAR(32)  NULL,
    session_id     NVARCHAR(64)  NULL,
    correlation_id NVARCHAR(64)  NOT NULL,
    action         NVARCHAR(32)  NOT NULL,
    detail         NVARCHAR(400) NOT NULL
);
GO

CREATE INDEX ix_portal_audit_user ON portal_audit (user_id, id);
GO

CREATE TRIGGER tr_portal_audit_append_only ON portal_audit INSTEAD OF UPDATE, DELETE
AS
BEGIN
    THROW 51000, 'portal_audit is append-only', 1;
END;
GO
