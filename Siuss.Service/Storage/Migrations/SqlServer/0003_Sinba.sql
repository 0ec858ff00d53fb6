-- SINBA assessments of children and families. Anonymous by law: IDBeneficiario is the body's own
-- code, never a fiscal code; a few columns serve aggregate statistics, the rest is kept as JSON.
CREATE TABLE sinba_records (
    id                          BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    submission_id               BIGINT        NOT NULL REFERENCES submissions(id),
    agency_code                 NVARCHAR(32)  NOT NULL,
    progressivo                 INT           NOT NULL,
    id_beneficiario             NVARCHAR(20)  NOT NULL,
    fascia_eta                  NCHAR(1)      NOT NULL,
    codice_nazione_residenza    NCHAR(3)      NOT NULL,
    codice_regione_residenza    NCHAR(2)      NULL,
    luogo_vita                  NVARCHAR(2)   NOT NULL,
    data_prima_segnalazione     NCHAR(7)      NOT NULL,
    content                     NVARCHAR(MAX) NOT NULL
);
CREATE INDEX ix_sinba_records_submission ON sinba_records(submission_id);
