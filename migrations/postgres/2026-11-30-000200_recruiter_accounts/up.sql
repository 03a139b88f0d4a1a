-- A link a counselor issues for a recruiter to choose a new password. Like an
-- invitation: single use, it expires, and only the SHA-256 digest of its token is kept.
CREATE TABLE password_resets (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    issued_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);

-- The office's vetting checklist of an employer: what was verified, by whom and when
-- (the last time the checklist was saved).
CREATE TABLE employer_vettings (
    id TEXT PRIMARY KEY NOT NULL,
    employer_id TEXT NOT NULL UNIQUE REFERENCES employers (id) ON DELETE CASCADE,
    domain_verified BOOLEAN NOT NULL DEFAULT FALSE,
    website_verified BOOLEAN NOT NULL DEFAULT FALSE,
    contact_verified BOOLEAN NOT NULL DEFAULT FALSE,
    note TEXT NOT NULL DEFAULT '',
    vetted_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    vetted_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The audit log is filtered by action (and its actions listed for the filter).
CREATE INDEX audit_events_action_idx ON audit_events (action, at);
