-- The register's first schema: paying bodies, their pinned certificates, submissions with their
-- legal evidence (raw signed request, raw flow, signed receipt), and the records they carry.
CREATE TABLE agencies (
    code            TEXT    NOT NULL PRIMARY KEY,
    name            TEXT    NOT NULL,
    belfiore        TEXT    NOT NULL,
    can_consult     INTEGER NOT NULL DEFAULT 0,
    registered_at   TEXT    NOT NULL
);

CREATE TABLE agency_certificates (
    id                  INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    agency_code         TEXT    NOT NULL REFERENCES agencies(code),
    thumbprint_sha256   TEXT    NOT NULL UNIQUE,
    subject             TEXT    NOT NULL,
    not_before          TEXT    NOT NULL,
    not_after           TEXT    NOT NULL,
    certificate         BLOB    NOT NULL,
    registered_at       TEXT    NOT NULL,
    revoked_at          TEXT    NULL
);
CREATE INDEX ix_agency_certificates_agency ON agency_certificates(agency_code);

CREATE TABLE submissions (
    id                  INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    agency_code         TEXT    NOT NULL REFERENCES agencies(code),
    id_messaggio        TEXT    NOT NULL,
    request_hash        TEXT    NOT NULL,
    tipo_flusso         TEXT    NOT NULL,
    nome_flusso         TEXT    NOT NULL,
    flow_hash           TEXT    NOT NULL,
    flow_size           INTEGER NOT NULL,
    esito               TEXT    NOT NULL,
    id_acquisizione     TEXT    NULL,
    received_at         TEXT    NOT NULL,
    correlation_id      TEXT    NOT NULL,
    record_count        INTEGER NOT NULL,
    raw_trasmissione    BLOB    NOT NULL,
    raw_flusso          BLOB    NOT NULL,
    ricevuta            BLOB    NULL,
    CONSTRAINT ux_submissions_message UNIQUE (agency_code, id_messaggio)
);
CREATE UNIQUE INDEX ux_submissions_acquired_flow ON submissions(agency_code, nome_flusso) WHERE esito = 'OK';
CREATE UNIQUE INDEX ux_submissions_acquisizione ON submissions(id_acquisizione) WHERE id_acquisizione IS NOT NULL;

-- Signed queries already answered: an IdMessaggio is never accepted twice.
CREATE TABLE query_messages (
    agency_code     TEXT    NOT NULL REFERENCES agencies(code),
    id_messaggio    TEXT    NOT NULL,
    operazione      TEXT    NOT NULL,
    request_hash    TEXT    NOT NULL,
    received_at     TEXT    NOT NULL,
    PRIMARY KEY (agency_code, id_messaggio)
);

CREATE TABLE beneficiaries (
    id                          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    submission_id               INTEGER NOT NULL REFERENCES submissions(id),
    codice_fiscale              TEXT    NOT NULL,
    cognome                     TEXT    NOT NULL,
    nome                        TEXT    NOT NULL,
    anno_nascita                TEXT    NOT NULL,
    luogo_nascita               TEXT    NOT NULL,
    genere                      TEXT    NOT NULL,
    codice_cittadinanza         TEXT    NOT NULL,
    codice_seconda_cittadinanza TEXT    NULL
);
CREATE INDEX ix_beneficiaries_submission ON beneficiaries(submission_id);

CREATE TABLE beneficiary_addresses (
    beneficiary_id  INTEGER NOT NULL REFERENCES beneficiaries(id),
    ordinal         INTEGER NOT NULL,
    codice_regione  TEXT    NULL,
    codice_comune   TEXT    NULL,
    codice_nazione  TEXT    NOT NULL,
    PRIMARY KEY (beneficiary_id, ordinal)
);

CREATE TABLE benefit_records (
    id                          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    submission_id               INTEGER NOT NULL REFERENCES submissions(id),
    beneficiary_id              INTEGER NOT NULL REFERENCES beneficiaries(id),
    progressivo                 INTEGER NOT NULL,
    agency_code                 TEXT    NOT NULL,
    codice_fiscale              TEXT    NOT NULL,
    codice_prestazione          TEXT    NOT NULL,
    protocollo_domanda          TEXT    NOT NULL,
    data_riferimento            TEXT    NOT NULL,
    denominazione_prestazione   TEXT    NOT NULL,
    presenza_prova_mezzi        TEXT    NOT NULL,
    carattere_prestazione       TEXT    NULL,
    numero_protocollo_dsu       TEXT    NULL,
    anno_protocollo_dsu         TEXT    NULL,
    data_dsu                    TEXT    NULL,
    data_evento                 TEXT    NULL,
    data_inizio_prestazione     TEXT    NULL,
    data_fine_prestazione       TEXT    NULL,
    data_erogazione_prestazione TEXT    NULL,
    importo_prestazione         TEXT    NULL,
    periodo_erogazione          INTEGER NULL,
    importo_mensile             TEXT    NULL,
    importo_quota_ente          TEXT    NULL,
    importo_quota_utente        TEXT    NULL,
    importo_quota_ssn           TEXT    NULL,
    importo_quota_richiesta     TEXT    NULL,
    importo_soglia_isee         TEXT    NULL,
    ore_servizio_mensile        TEXT    NULL,
    presa_carico                TEXT    NOT NULL,
    area_utenza                 TEXT    NULL,
    sina                        TEXT    NULL,
    late                        INTEGER NOT NULL,
    status                      TEXT    NOT NULL,
    cancelled_by_submission_id  INTEGER NULL REFERENCES submissions(id),
    cancelled_at                TEXT    NULL
);
CREATE UNIQUE INDEX ux_benefit_records_active_key
    ON benefit_records(agency_code, codice_fiscale, codice_prestazione, protocollo_domanda, data_riferimento)
    WHERE status = 'A';
CREATE INDEX ix_benefit_records_submission ON benefit_records(submission_id);

CREATE TABLE codici_prestazione (
    codice                  TEXT    NOT NULL PRIMARY KEY,
    descrizione             TEXT    NOT NULL,
    sezione                 TEXT    NOT NULL,
    valido_dal              TEXT    NOT NULL,
    valido_al               TEXT    NULL,
    richiede_presa_carico   INTEGER NOT NULL DEFAULT 0,
    richiede_data_evento    INTEGER NOT NULL DEFAULT 0
);
