-- One index on the person is enough. ix_benefit_records_codice_fiscale finds a person's few records in any body;
-- a lookup by body and person (record history) filters those by agency_code. The second index, on
-- (agency_code, codice_fiscale), cost every stored record one more random B-tree leaf written at commit.
DROP INDEX ix_benefit_records_person;
