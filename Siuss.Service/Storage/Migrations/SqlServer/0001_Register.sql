-- The register's first schema: paying bodies, their pinned certificates, submissions with their
-- legal evidence (raw signed request, raw flow, signed receipt), and the records they carry.
CREATE TABLE agencies (
    code            NVARCHAR(32)  NOT NULL PRIMARY KEY,
    name            NVARCHAR(200) NOT NULL,
    belfiore        NCHAR(4)      NOT NULL,
    can_consult     BIT           NOT NULL DEFAULT 0,
    registered_at   DATETIME2     NOT NULL
);

CREATE TABLE agency_certificates (
    id                  BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    agency_code         NVARCHAR(32)   NOT NULL REFERENCES agencies(code),
    thumbprint_sha256   CHAR(64)       NOT NULL UNIQUE,
    subject             NVARCHAR(1000) NOT NULL,
    not_before          DATETIME2      NOT NULL,
    not_after           DATETIME2      NOT NULL,
    certificate         VARBINARY(MAX) NOT NULL,
    registered_at       DATETIME2      NOT NULL,
    revoked_at          DATETIME2      NULL
);
CREATE INDEX ix_agency_certificates_agency ON agency_certificates(agency_code);

CREATE TABLE submissions (
    id                  BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    agency_code         NVARCHAR(32)   NOT NULL REFERENCES agencies(code),
    id_messaggio        NVARCHAR(64)   NOT NULL,
    request_hash        CHAR(64)       NOT NULL,
    tipo_flusso         NVARCHAR(16)   NOT NULL,
    nome_flusso         NVARCHAR(50)   NOT NULL,
    flow_hash           CHAR(64)       NOT NULL,
    flow_size           BIGINT         NOT NULL,
    esito               NVARCHAR(32)   NOT NULL,
    id_acquisizione     NVARCHAR(64)   NULL,
    received_at         DATETIME2      NOT NULL,
    correlation_id      NVARCHAR(64)   NOT NULL,
    record_count        INT            NOT NULL,
    raw_trasmissione    VARBINARY(MAX) NOT NULL,
    raw_flusso          VARBINARY(MAX) NOT NULL,
    ricevuta            VARBINARY(MAX) NULL,
    CONSTRAINT ux_submissions_message UNIQUE (agency_code, id_messaggio)
);
CREATE UNIQUE INDEX ux_submissions_acquired_flow ON submissions(agency_code, nome_flusso) WHERE esito = 'OK';
CREATE UNIQUE INDEX ux_submissions_acquisizione ON submissions(id_acquisizione) WHERE id_acquisizione IS NOT NULL;

-- Signed queries already answered: an IdMessaggio is never accepted twice.
CREATE TABLE query_messages (
    agency_code     NVARCHAR(32)  NOT NULL REFERENCES agencies(code),
    id_messaggio    NVARCHAR(64)  NOT NULL,
    operazione      NVARCHAR(64)  NOT NULL,
    request_hash    CHAR(64)      NOT NULL,
    received_at     DATETIME2     NOT NULL,
    PRIMARY KEY (agency_code, id_messaggio)
);

CREATE TABLE beneficiaries (
    id                          BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    submission_id               BIGINT        NOT NULL REFERENCES submissions(id),
    codice_fiscale              NVARCHAR(16)  NOT NULL,
    cognome                     NVARCHAR(36)  NOT NULL,
    nome                        NVARCHAR(36)  NOT NULL,
    anno_nascita                NCHAR(4)      NOT NULL,
    luogo_nascita               NCHAR(4)      NOT NULL,
    genere                      NCHAR(1)      NOT NULL,
    codice_cittadinanza         NCHAR(3)      NOT NULL,
    codice_seconda_cittadinanza NCHAR(3)      NULL
);
CREATE INDEX ix_beneficiaries_submission ON beneficiaries(submission_id);

CREATE TABLE beneficiary_addresses (
    beneficiary_id  BIGINT   NOT NULL REFERENCES beneficiaries(id),
    ordinal         INT      NOT NULL,
    codice_regione  NCHAR(2) NULL,
    codice_comune   NCHAR(6) NULL,
    codice_nazione  NCHAR(3) NOT NULL,
    PRIMARY KEY (beneficiary_id, ordinal)
);

CREATE TABLE benefit_records (
    id                          BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    submission_id               BIGINT         NOT NULL REFERENCES submissions(id),
    beneficiary_id              BIGINT         NOT NULL REFERENCES beneficiaries(id),
    progressivo                 INT            NOT NULL,
    agency_code                 NVARCHAR(32)   NOT NULL,
    codice_fiscale              NVARCHAR(16)   NOT NULL,
    codice_prestazione          NVARCHAR(10)   NOT NULL,
    protocollo_domanda          NVARCHAR(32)   NOT NULL,
    data_riferimento            DATE           NOT NULL,
    denominazione_prestazione   NVARCHAR(200)  NOT NULL,
    presenza_prova_mezzi        NCHAR(1)       NOT NULL,
    carattere_prestazione       NCHAR(1)       NULL,
    numero_protocollo_dsu       NVARCHAR(30)   NULL,
    anno_protocollo_dsu         NCHAR(4)       NULL,
    data_dsu                    DATE           NULL,
    data_evento                 DATE           NULL,
    data_inizio_prestazione     DATE           NULL,
    data_fine_prestazione       DATE           NULL,
    data_erogazione_prestazione DATE           NULL,
    importo_prestazione         DECIMAL(18,2)  NULL,
    periodo_erogazione          INT            NULL,
    importo_mensile             DECIMAL(18,2)  NULL,
    importo_quota_ente          DECIMAL(18,2)  NULL,
    importo_quota_utente        DECIMAL(18,2)  NULL,
    importo_quota_ssn           DECIMAL(18,2)  NULL,
    importo_quota_richiesta     DECIMAL(18,2)  NULL,
    importo_soglia_isee         DECIMAL(18,2)  NULL,
    ore_servizio_mensile        DECIMAL(18,2)  NULL,
    presa_carico                NCHAR(1)       NOT NULL,
    area_utenza                 NCHAR(1)       NULL,
    sina                        NVARCHAR(MAX)  NULL,
    late                        BIT            NOT NULL,
    status                      NCHAR(1)       NOT NULL,
    cancelled_by_submission_id  BIGINT         NULL REFERENCES submissions(id),
    cancelled_at                DATETIME2      NULL
);
CREATE UNIQUE INDEX ux_benefit_records_active_key
    ON benefit_records(agency_code, codice_fiscale, codice_prestazione, protocollo_domanda, data_riferimento)
    WHERE status = 'A';
CREATE INDEX ix_benefit_records_submission ON benefit_records(submission_id);

CREATE TABLE codici_prestazione (
    codice                  NVARCHAR(10)  NOT NULL PRIMARY KEY,
    descrizione             NVARCHAR(200) NOT NULL,
    sezione                 NVARCHAR(8)   NOT NULL,
    valido_dal              DATE          NOT NULL,
    valido_al               DATE          NULL,
    richiede_presa_carico   BIT           NOT NULL DEFAULT 0,
    richiede_data_evento    BIT           NOT NULL DEFAULT 0
);
