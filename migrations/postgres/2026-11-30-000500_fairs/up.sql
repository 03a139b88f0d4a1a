-- Fairs run on one or more campus days, each with its own hours; sessions must fall
-- inside one of them. (fairs.starts_at/ends_at stay the first day's start and the last
-- day's end, for lists and for fairs made before days existed.)
ALTER TABLE fairs ADD COLUMN requires_approval BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE fair_days (
    id TEXT PRIMARY KEY NOT NULL,
    fair_id TEXT NOT NULL REFERENCES fairs (id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (ends_at > starts_at)
);
CREATE INDEX fair_days_fair_idx ON fair_days (fair_id, starts_at);

-- The employers taking part in a fair. Where the fair requires approval an employer
-- waits (pending) until a counselor approves or declines.
CREATE TABLE fair_employers (
    id TEXT PRIMARY KEY NOT NULL,
    fair_id TEXT NOT NULL REFERENCES fairs (id) ON DELETE CASCADE,
    employer_id TEXT NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (fair_id, employer_id)
);
CREATE INDEX fair_employers_employer_idx ON fair_employers (employer_id);

-- A host's sessions, and a student's registrations by session, are read on every
-- registration (overlap rules): keep those reads on an index.
CREATE INDEX fair_sessions_host_idx ON fair_sessions (host_id, starts_at);
