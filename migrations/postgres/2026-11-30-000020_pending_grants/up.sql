-- A role granted to an email no one has signed in with yet. It becomes a granted role
-- (user_roles, source 'grant') at the first campus sign-in with that email, and until
-- then is listed as pending and can be revoked. No user record is made for it, so a
-- mistyped address leaves nothing behind once revoked.
CREATE TABLE pending_grants (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('student', 'faculty', 'counselor', 'admin')),
    granted_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (email, role)
);
