-- The web channel's operators (issue 16): one account per person of a paying body, created by `user add` with a
-- one-time activation link (only its SHA-256 is kept), activated with a password (ASP.NET Core Identity's hash) and
-- a TOTP secret (encrypted by the host's data-protection keys). Failed attempts lock the account for a while.
CREATE TABLE portal_users (
    id                    TEXT    NOT NULL PRIMARY KEY,
    agency_code           TEXT    NOT NULL REFERENCES agencies(code),
    email                 TEXT    NOT NULL UNIQUE,
    password_hash         TEXT    NULL,
    totp_secret           TEXT    NULL,
    activation_token_hash TEXT    NULL UNIQUE,
    activation_expires_at TEXT    NULL,
    failed_attempts       INTEGER NOT NULL DEFAULT 0,
    locked_until          TEXT    NULL,
    last_totp_step        INTEGER NULL,
    created_at            TEXT    NOT NULL,
    activated_at          TEXT    NULL,
    disabled_at           TEXT    NULL
);

-- Every login (and failed one) and every action in the web channel: who, for which body, in which session and
-- request. Append-only.
CREATE TABLE portal_audit (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    occurred_at    TEXT NOT NULL,
    user_id        TEXT NULL,
    agency_code    TEXT NULL,
    session_id     TEXT NULL,
    correlation_id TEXT NOT NULL,
    action         TEXT NOT NULL,
    detail         TEXT NOT NULL
);

CREATE INDEX ix_portal_audit_user ON portal_audit (user_id, id);

CREATE TRIGGER tr_portal_audit_no_update BEFORE UPDATE ON portal_audit
BEGIN
    SELECT RAISE(ABORT, 'portal_audit is append-only');
END;

CREATE TRIGGER tr_portal_audit_no_delete BEFORE DELETE ON portal_audit
BEGIN
    SELECT RAISE(ABORT, 'portal_audit is append-only');
END;
