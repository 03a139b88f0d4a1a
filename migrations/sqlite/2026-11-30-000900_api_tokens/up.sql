-- API tokens for campus integrations (the SIS, the data warehouse). The foundation's
-- table tied every token to a user; tokens made on the command line have none, so the
-- table is made again (it held no rows: nothing made tokens before this). Only the
-- SHA-256 digest of a secret is stored; the secret is shown once.
DROP TABLE api_tokens;
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL, -- space-separated, e.g. "reports:read outcomes:read"
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_by_label TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    revoked_by_label TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX api_tokens_created_idx ON api_tokens (created_at);
