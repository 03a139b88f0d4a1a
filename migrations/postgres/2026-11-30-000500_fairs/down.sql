DROP INDEX fair_sessions_host_idx;
DROP TABLE fair_employers;
DROP TABLE fair_days;
ALTER TABLE fairs DROP COLUMN requires_approval;
