-- GetBeneficiaryBenefits reads one person's records across every paying body: the person-only index
-- serves it (ix_benefit_records_person leads with agency_code, so it cannot).
CREATE INDEX ix_benefit_records_codice_fiscale ON benefit_records(codice_fiscale);

-- Every authenticated consultation of a person, allowed or refused: who (body and signing certificate),
-- when, which request (IdMessaggio, request hash, correlation id), which person, the outcome, and what
-- was shown (the record ids in answer order and the SHA-256 of the signed answer as sent).
-- Append-only: the product only inserts; the triggers refuse any change or deletion.
CREATE TABLE consultation_audit (
    id                  INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    occurred_at         TEXT    NOT NULL,
    agency_code         TEXT    NOT NULL REFERENCES agencies(code),
    signer_thumbprint   TEXT    NOT NULL,
    id_messaggio        TEXT    NOT NULL,
    request_hash        TEXT    NOT NULL,
    correlation_id      TEXT    NOT NULL,
    codice_fiscale      TEXT    NOT NULL,
    outcome             TEXT    NOT NULL CHECK (outcome IN ('ALLOWED', 'REFUSED')),
    fault_code          TEXT    NULL,
    record_count        INTEGER NOT NULL,
    record_ids          TEXT    NOT NULL,
    answer_hash         TEXT    NULL,
    CONSTRAINT ux_consultation_audit_message UNIQUE (agency_code, id_messaggio)
);
CREATE INDEX ix_consultation_audit_occurred ON consultation_audit(occurred_at);
CREATE INDEX ix_consultation_audit_person ON consultation_audit(codice_fiscale, occurred_at);

CREATE TRIGGER tr_consultation_audit_no_update BEFORE UPDATE ON consultation_audit
BEGIN
    SELECT RAISE(ABORT, 'consultation_audit is append-only');
END;

CREATE TRIGGER tr_consultation_audit_no_delete BEFORE DELETE ON consultation_audit
BEGIN
    SELECT RAISE(ABORT, 'consultation_audit is append-only');
END;
