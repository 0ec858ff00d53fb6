-- The raw flow (legal evidence, up to tens of MB) moves out of the submissions row into its own table,
-- written once and never updated, so storing the receipt in the submissions row at commit does not
-- touch the flow's bytes.
CREATE TABLE submission_flows (
    submission_id   BIGINT         NOT NULL PRIMARY KEY REFERENCES submissions(id),
    raw_flusso      VARBINARY(MAX) NOT NULL
);
GO

INSERT INTO submission_flows (submission_id, raw_flusso) SELECT id, raw_flusso FROM submissions;
ALTER TABLE submissions DROP COLUMN raw_flusso;
