-- The first-destination survey. A graduate's answer is an outcome with source `survey`
-- that waits for a counselor's confirmation: until then it is shown to the office but
-- counts in no figure (outcomes recorded any other way are confirmed when written).
ALTER TABLE outcomes ADD COLUMN awaiting_confirmation BOOLEAN NOT NULL DEFAULT FALSE;

-- One invitation per graduate: who invited them, when the last mail (invitation or
-- reminder) went, and when they answered (reminders stop then).
CREATE TABLE survey_invitations (
    id TEXT PRIMARY KEY NOT NULL,
    student_id TEXT NOT NULL UNIQUE REFERENCES students (id) ON DELETE CASCADE,
    class_year INTEGER NOT NULL,
    invited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    invited_at TIMESTAMP NOT NULL,
    last_sent_at TIMESTAMP NOT NULL,
    reminders INTEGER NOT NULL DEFAULT 0,
    answered_at TIMESTAMP,
    outcome_id TEXT REFERENCES outcomes (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX survey_invitations_class_idx ON survey_invitations (class_year);
CREATE INDEX survey_invitations_due_idx ON survey_invitations (last_sent_at) WHERE answered_at IS NULL;

-- The links mailed to a graduate (the invitation's and each reminder's): only the
-- SHA-256 digest of each random token is kept. Any of them opens the one survey, until it
-- is answered.
CREATE TABLE survey_links (
    id TEXT PRIMARY KEY NOT NULL,
    token_digest TEXT NOT NULL UNIQUE,
    invitation_id TEXT NOT NULL REFERENCES survey_invitations (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX survey_links_invitation_idx ON survey_links (invitation_id);
