-- The raw flow (legal evidence, up to tens of MB) moves out of the submissions row into its own table,
-- written once and never updated, so storing the receipt in the submissions row at commit does not
-- rewrite the flow's bytes (an UPDATE writes a new version of the whole row).
CREATE TABLE submission_flows (
    submission_id   BIGINT NOT NULL PRIMARY KEY REFERENCES submissions(id),
    raw_flusso      BYTEA  NOT NULL
);
INSERT INTO submission_flows (submission_id, raw_flusso) SELECT id, raw_flusso FROM submissions;
ALTER TABLE submissions DROP COLUMN raw_flusso;
