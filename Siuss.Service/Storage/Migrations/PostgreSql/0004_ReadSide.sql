-- The read side: a commit-ordered receipt cursor for ListReceipts, and each record's content digest
-- for ReconcileRecords.
--
-- receipt_sequence has one row. A flow's write transaction bumps it as its last statement before
-- COMMIT and stores the value on its submission row as receipt_cursor. The UPDATE takes the row's lock
-- until the transaction ends; a second writer's UPDATE waits for that end and then reads the value the
-- first one committed (READ COMMITTED re-reads a row updated by a transaction it waited for). PostgreSQL
-- makes a transaction visible before it releases its locks, so cursors become visible in increasing
-- order, and a reader resuming after the last cursor it saw can never miss one that commits later with
-- a smaller value (identity values, unlike this, are handed out at insert time and commit in any order).
CREATE TABLE receipt_sequence (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    value   BIGINT  NOT NULL
);

ALTER TABLE submissions ADD COLUMN receipt_cursor BIGINT NULL;

-- Existing receipts take their id as cursor: the same order, and every later one comes after them.
UPDATE submissions SET receipt_cursor = id WHERE ricevuta IS NOT NULL;
INSERT INTO receipt_sequence (id, value) SELECT 1, COALESCE(MAX(id), 0) FROM submissions;
CREATE INDEX ix_submissions_receipt_cursor ON submissions(agency_code, receipt_cursor);

-- Lowercase hex SHA-256 of the record's content (Siuss.Contracts.Reconciliation.RecordDigest),
-- written with the record. Rows stored before this migration get theirs from the stored columns on
-- the next start (RecordDigestBackfill); the partial index finds them and is empty afterwards.
ALTER TABLE benefit_records ADD COLUMN content_digest CHAR(64) NULL;
CREATE INDEX ix_benefit_records_period ON benefit_records(agency_code, data_riferimento);
CREATE INDEX ix_benefit_records_without_digest ON benefit_records(id) WHERE content_digest IS NULL;
