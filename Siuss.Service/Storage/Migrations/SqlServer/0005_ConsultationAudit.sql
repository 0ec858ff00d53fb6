-- GetBeneficiaryBenefits reads one person's records across every paying body: the person-only index
-- serves it (ix_benefit_records_person leads with agency_code, so it cannot).
CREATE INDEX ix_benefit_records_codice_fiscale ON benefit_records(codice_fiscale);

-- Every authenticated consultation of a person, allowed or refused: who (body and signing certificate),
-- when, which request (IdMessaggio, request hash, correlation id), which person, the outcome, and what
-- was shown (the record ids in answer order and the SHA-256 of the signed answer as sent).
-- Append-only: the product only inserts; the trigger refuses any change or deletion.
CREATE TABLE consultation_audit (
    id                  BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    occurred_at         DATETIME2      NOT NULL,
    agency_code         NVARCHAR(32)   NOT NULL REFERENCES agencies(code),
    signer_thumbprint   CHAR(64)       NOT NULL,
    id_messaggio        NVARCHAR(64)   NOT NULL,
    request_hash        CHAR(64)       NOT NULL,
    correlation_id      NVARCHAR(64)   NOT NULL,
    codice_fiscale      NVARCHAR(16)   NOT NULL,
    outcome             NVARCHAR(16)   NOT NULL CONSTRAINT ck_consultation_audit_outcome CHECK (outcome IN ('ALLOWED', 'REFUSED')),
    fault_code          NVARCHAR(64)   NULL,
    record_count        INT            NOT NULL,
    record_ids          NVARCHAR(MAX)  NOT NULL,
    answer_hash         CHAR(64)       NULL,
    CONSTRAINT ux_consultation_audit_message UNIQUE (agency_code, id_messaggio)
);
CREATE INDEX ix_consultation_audit_occurred ON consultation_audit(occurred_at);
CREATE INDEX ix_consultation_audit_person ON consultation_audit(codice_fiscale, occurred_at);
GO

CREATE TRIGGER tr_consultation_audit_append_only ON consultation_audit INSTEAD OF UPDATE, DELETE
AS
BEGIN
    THROW 51000, 'consultation_audit is append-only', 1;
END;
GO
