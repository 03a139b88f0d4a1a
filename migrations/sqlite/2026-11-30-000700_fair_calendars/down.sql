DROP INDEX fair_sessions_starts_idx;
ALTER TABLE fair_sessions DROP COLUMN reminded_1h_at;
ALTER TABLE fair_sessions DROP COLUMN reminded_24h_at;
ALTER TABLE registrations DROP COLUMN reminded_1h_at;
ALTER TABLE registrations DROP COLUMN reminded_24h_at;
ALTER TABLE outbox DROP COLUMN calendar;
DROP TABLE calendar_feeds;
