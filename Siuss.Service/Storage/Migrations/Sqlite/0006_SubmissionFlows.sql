-- The raw flow (legal evidence, up to tens of MB) moves out of the submissions row into its own table,
-- written once and never updated. In the submissions row it was rewritten whole when the flow's
-- transaction stored its receipt (an UPDATE of a row rewrites all of it): for a 50 MB flow that cost
-- ~140 MB of memory and the time to write the flow twice.
CREATE TABLE submission_flows (
    submission_id   INTEGER NOT NULL PRIMARY KEY REFERENCES submissions(id),
    raw_flusso      BLOB    NOT NULL
);
INSERT INTO submission_flows (submission_id, raw_flusso) SELECT id, raw_flusso FROM submissions;
ALTER TABLE submissions DROP COLUMN raw_flusso;
