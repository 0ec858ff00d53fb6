-- SINBA assessments of children and families. Anonymous by law: IDBeneficiario is the body's own
-- code, never a fiscal code; a few columns serve aggregate statistics, the rest is kept as JSON.
CREATE TABLE sinba_records (
    id                          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    submission_id               INTEGER NOT NULL REFERENCES submissions(id),
    agency_code                 TEXT    NOT NULL,
    progressivo                 INTEGER NOT NULL,
    id_beneficiario             TEXT    NOT NULL,
    fascia_eta                  TEXT    NOT NULL,
    codice_nazione_residenza    TEXT    NOT NULL,
    codice_regione_residenza    TEXT    NULL,
    luogo_vita                  TEXT    NOT NULL,
    data_prima_segnalazione     TEXT    NOT NULL,
    content                     TEXT    NOT NULL
);
CREATE INDEX ix_sinba_records_submission ON sinba_records(submission_id);
