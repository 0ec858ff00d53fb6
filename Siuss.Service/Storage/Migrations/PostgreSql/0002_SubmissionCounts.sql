-- Per-submission record counts, so the compliance report needs no receipt parsing.
ALTER TABLE submissions ADD COLUMN records_valid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submissions ADD COLUMN records_rejected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submissions ADD COLUMN records_late INTEGER NOT NULL DEFAULT 0;
CREATE INDEX ix_submissions_received ON submissions(received_at);
CREATE INDEX ix_benefit_records_person ON benefit_records(agency_code, codice_fiscale);
