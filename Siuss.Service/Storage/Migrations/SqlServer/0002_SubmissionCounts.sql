-- Per-submission record counts, so the compliance report needs no receipt parsing.
ALTER TABLE submissions ADD records_valid INT NOT NULL CONSTRAINT df_submissions_records_valid DEFAULT 0;
ALTER TABLE submissions ADD records_rejected INT NOT NULL CONSTRAINT df_submissions_records_rejected DEFAULT 0;
ALTER TABLE submissions ADD records_late INT NOT NULL CONSTRAINT df_submissions_records_late DEFAULT 0;
CREATE INDEX ix_submissions_received ON submissions(received_at);
CREATE INDEX ix_benefit_records_person ON benefit_records(agency_code, codice_fiscale);
