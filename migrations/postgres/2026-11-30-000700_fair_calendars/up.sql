-- Each user's private calendar feed (`/calendar/{token}.ics`): one per user, only the
-- token's SHA-256 digest kept. Replacing it changes the digest; revoking deletes the row.
CREATE TABLE calendar_feeds (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- A mail's invitation (an `.ics`, METHOD REQUEST or CANCEL), sent as a text/calendar part.
ALTER TABLE outbox ADD COLUMN calendar TEXT;
-- Reminders 24 hours and 1 hour before a session: each claimed once, by the instance
-- whose conditional UPDATE set it (students on their registration, the host on the session).
ALTER TABLE registrations ADD COLUMN reminded_24h_at TIMESTAMP;
ALTER TABLE registrations ADD COLUMN reminded_1h_at TIMESTAMP;
ALTER TABLE fair_sessions ADD COLUMN reminded_24h_at TIMESTAMP;
ALTER TABLE fair_sessions ADD COLUMN reminded_1h_at TIMESTAMP;
CREATE INDEX fair_sessions_starts_idx ON fair_sessions (starts_at);
