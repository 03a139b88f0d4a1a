-- Waypoint foundation schema (SQLite). Keep in step with migrations/postgres.
-- Ids are UUIDs stored as text; times are UTC timestamps without zone; money is integer cents.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    issuer TEXT,
    subject TEXT,
    email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash TEXT,
    calendar_token_hash TEXT UNIQUE,
    last_login_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (issuer, subject),
    CHECK ((issuer IS NULL) = (subject IS NULL))
);

-- Roles from the identity provider's claims (source 'claim', replaced at every login)
-- and from an admin's grants (source 'grant', kept until revoked).
CREATE TABLE user_roles (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('student', 'faculty', 'counselor', 'admin', 'recruiter')),
    source TEXT NOT NULL CHECK (source IN ('claim', 'grant')),
    granted_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (user_id, role, source)
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL, -- SHA-256 of the cookie value; the cookie itself is never stored
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    expires_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- A pending single sign-on: state, nonce and PKCE verifier, single-use, short-lived.
CREATE TABLE oidc_logins (
    id TEXT PRIMARY KEY NOT NULL, -- SHA-256 of the state value
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to TEXT NOT NULL DEFAULT '/',
    browser_binding TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE login_throttles (
    id TEXT PRIMARY KEY NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('account', 'address')),
    key TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    window_started_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (scope, key)
);

CREATE TABLE students (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    student_number TEXT NOT NULL UNIQUE CHECK (length(student_number) BETWEEN 1 AND 32),
    email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    college TEXT NOT NULL,
    major TEXT NOT NULL,
    class_year INTEGER NOT NULL CHECK (class_year BETWEEN 1900 AND 2200),
    graduation_term TEXT NOT NULL CHECK (length(graduation_term) = 7), -- YYYY-MM
    profile_visibility TEXT NOT NULL DEFAULT 'private' CHECK (profile_visibility IN ('private', 'employers')),
    headline TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '',
    portfolio_url TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX students_cohort_idx ON students (class_year, college, major);

CREATE TABLE faculty (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    department TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE employers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    industry TEXT NOT NULL,
    website TEXT,
    email_domain TEXT CHECK (email_domain IS NULL OR (email_domain = lower(email_domain) AND email_domain LIKE '%_._%')),
    size TEXT CHECK (size IS NULL OR size IN ('1-10', '11-50', '51-200', '201-1000', '1001-5000', '5001+')),
    location TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX employers_industry_idx ON employers (industry);

CREATE TABLE partnerships (
    id TEXT PRIMARY KEY NOT NULL,
    employer_id TEXT NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    tier TEXT NOT NULL CHECK (tier IN ('strategic', 'gold', 'silver', 'standard')),
    status TEXT NOT NULL CHECK (status IN ('prospect', 'active', 'paused', 'ended')),
    starts_on DATE,
    ends_on DATE,
    owner_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);
-- An employer has at most one partnership that has not ended.
CREATE UNIQUE INDEX partnerships_one_current_idx ON partnerships (employer_id) WHERE status <> 'ended';
CREATE INDEX partnerships_status_idx ON partnerships (status, tier);

-- Partnership history: every status change with who made it and when.
CREATE TABLE partnership_events (
    id TEXT PRIMARY KEY NOT NULL,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    from_status TEXT CHECK (from_status IS NULL OR from_status IN ('prospect', 'active', 'paused', 'ended')),
    to_status TEXT NOT NULL CHECK (to_status IN ('prospect', 'active', 'paused', 'ended')),
    actor_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX partnership_events_partnership_idx ON partnership_events (partnership_id, at);

CREATE TABLE recruiters (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    employer_id TEXT NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX recruiters_employer_idx ON recruiters (employer_id);

CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    employer_id TEXT NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    email TEXT NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    token_hash TEXT NOT NULL UNIQUE,
    invited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX invitations_employer_idx ON invitations (employer_id);

CREATE TABLE opportunities (
    id TEXT PRIMARY KEY NOT NULL,
    employer_id TEXT NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('research', 'data', 'content', 'sales', 'hr', 'software', 'design', 'operations')),
    skills TEXT NOT NULL DEFAULT '', -- comma-separated lower-case tags
    hours INTEGER NOT NULL CHECK (hours BETWEEN 5 AND 40),
    fee_cents BIGINT NOT NULL CHECK (fee_cents > 0),
    currency TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3 AND currency = upper(currency)),
    remote BOOLEAN NOT NULL DEFAULT TRUE,
    location TEXT,
    apply_by DATE NOT NULL,
    due_by DATE NOT NULL,
    openings INTEGER NOT NULL DEFAULT 1 CHECK (openings >= 1),
    eligible_colleges TEXT NOT NULL DEFAULT '', -- empty: any
    eligible_majors TEXT NOT NULL DEFAULT '',
    eligible_class_years TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending_review', 'open', 'closed', 'cancelled')),
    review_note TEXT,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    submitted_at TIMESTAMP,
    opened_at TIMESTAMP,
    closed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (apply_by < due_by),
    CHECK (remote OR location IS NOT NULL)
);
CREATE INDEX opportunities_status_idx ON opportunities (status, apply_by);
CREATE INDEX opportunities_employer_idx ON opportunities (employer_id, status);

CREATE TABLE endorsements (
    id TEXT PRIMARY KEY NOT NULL,
    faculty_id TEXT NOT NULL REFERENCES faculty (id) ON DELETE CASCADE,
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    skills TEXT NOT NULL DEFAULT '',
    statement TEXT NOT NULL CHECK (length(statement) BETWEEN 1 AND 2000),
    relationship TEXT NOT NULL CHECK (relationship IN ('course', 'research', 'advising', 'other')),
    course TEXT,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX endorsements_student_idx ON endorsements (student_id);
CREATE INDEX endorsements_faculty_idx ON endorsements (faculty_id);

CREATE TABLE endorsement_requests (
    id TEXT PRIMARY KEY NOT NULL,
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    faculty_id TEXT NOT NULL REFERENCES faculty (id) ON DELETE CASCADE,
    message TEXT NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fulfilled', 'declined', 'cancelled')),
    endorsement_id TEXT REFERENCES endorsements (id) ON DELETE SET NULL,
    responded_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX endorsement_requests_faculty_idx ON endorsement_requests (faculty_id, status);
CREATE INDEX endorsement_requests_student_idx ON endorsement_requests (student_id);

CREATE TABLE applications (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    statement TEXT NOT NULL CHECK (length(statement) BETWEEN 1 AND 3000),
    status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'shortlisted', 'offered', 'accepted', 'declined', 'rejected', 'withdrawn')),
    decision_message TEXT,
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (opportunity_id, student_id)
);
CREATE INDEX applications_student_idx ON applications (student_id, status);
CREATE INDEX applications_opportunity_idx ON applications (opportunity_id, status);

-- The endorsements a student chose to share with the employer on one application.
CREATE TABLE application_endorsements (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    endorsement_id TEXT NOT NULL REFERENCES endorsements (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (application_id, endorsement_id)
);
CREATE INDEX application_endorsements_endorsement_idx ON application_endorsements (endorsement_id);

CREATE TABLE engagements (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id) ON DELETE CASCADE,
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    employer_id TEXT NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'submitted', 'revision_requested', 'completed', 'cancelled')),
    started_on DATE NOT NULL,
    due_on DATE NOT NULL,
    deliverable_url TEXT,
    deliverable_note TEXT,
    submitted_on DATE,
    completed_on DATE,
    rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    feedback TEXT,
    student_rating INTEGER CHECK (student_rating IS NULL OR student_rating BETWEEN 1 AND 5),
    student_feedback TEXT,
    amount_paid_cents BIGINT CHECK (amount_paid_cents IS NULL OR amount_paid_cents >= 0),
    paid_on DATE,
    cancel_requested_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    cancel_reason TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (status <> 'completed' OR (rating IS NOT NULL AND completed_on IS NOT NULL)),
    CHECK ((amount_paid_cents IS NULL) = (paid_on IS NULL))
);
CREATE INDEX engagements_employer_idx ON engagements (employer_id, status);
CREATE INDEX engagements_student_idx ON engagements (student_id);
CREATE INDEX engagements_opportunity_idx ON engagements (opportunity_id);

CREATE TABLE outcomes (
    id TEXT PRIMARY KEY NOT NULL,
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    category TEXT NOT NULL CHECK (category IN ('employed_full_time', 'employed_part_time', 'military', 'volunteer_service',
        'continuing_education', 'seeking_employment', 'seeking_continuing_education', 'not_seeking')),
    employer_id TEXT REFERENCES employers (id) ON DELETE SET NULL,
    organization TEXT,
    job_title TEXT,
    employment_type TEXT CHECK (employment_type IS NULL OR employment_type IN ('standard', 'entrepreneur', 'temporary_contract', 'freelance', 'postgrad_internship_fellowship')),
    start_on DATE,
    annual_salary_cents BIGINT CHECK (annual_salary_cents IS NULL OR annual_salary_cents >= 0),
    currency TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3),
    source TEXT NOT NULL CHECK (source IN ('survey', 'employer', 'counselor', 'faculty', 'public_profile', 'conversion')),
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    offer_on DATE,
    accepted_on DATE,
    known_on DATE NOT NULL, -- when the office learnt it: NACE counts outcomes known by Dec 31 of the class year
    engagement_id TEXT REFERENCES engagements (id) ON DELETE SET NULL,
    recorded_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX outcomes_student_idx ON outcomes (student_id, is_primary);
CREATE INDEX outcomes_employer_idx ON outcomes (employer_id);
CREATE INDEX outcomes_engagement_idx ON outcomes (engagement_id);

-- An offer of an internship or job made from a completed engagement (conversion).
CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    engagement_id TEXT NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
    employer_id TEXT NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('internship', 'full_time', 'part_time')),
    job_title TEXT NOT NULL,
    offer_on DATE NOT NULL,
    status TEXT NOT NULL DEFAULT 'extended' CHECK (status IN ('extended', 'accepted', 'declined')),
    decided_on DATE,
    outcome_id TEXT REFERENCES outcomes (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX offers_employer_idx ON offers (employer_id, offer_on);
CREATE INDEX offers_engagement_idx ON offers (engagement_id);

CREATE TABLE fairs (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed')),
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (ends_at > starts_at)
);

CREATE TABLE fair_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    fair_id TEXT NOT NULL REFERENCES fairs (id) ON DELETE CASCADE,
    employer_id TEXT NOT NULL REFERENCES employers (id) ON DELETE CASCADE,
    host_id TEXT REFERENCES recruiters (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('group', 'one_on_one')),
    series_id TEXT, -- one-on-one slots generated together share a series
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity >= 1),
    meeting_url TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (ends_at > starts_at),
    CHECK (kind <> 'one_on_one' OR capacity = 1)
);
CREATE INDEX fair_sessions_fair_idx ON fair_sessions (fair_id, starts_at);
CREATE INDEX fair_sessions_employer_idx ON fair_sessions (employer_id);

CREATE TABLE registrations (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES fair_sessions (id) ON DELETE CASCADE,
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('registered', 'waitlisted', 'cancelled')),
    waitlist_position INTEGER CHECK (waitlist_position IS NULL OR waitlist_position >= 1),
    attended_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    sequence INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    no_show_cleared_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (session_id, student_id),
    CHECK ((status = 'waitlisted') = (waitlist_position IS NOT NULL))
);
CREATE INDEX registrations_session_idx ON registrations (session_id, status);
CREATE INDEX registrations_student_idx ON registrations (student_id, status);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    link TEXT,
    read_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX notifications_user_idx ON notifications (user_id, read_at);

-- Mail waiting to be sent (or retried) when WAYPOINT_SMTP_URL is set; never lost.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    notification_id TEXT REFERENCES notifications (id) ON DELETE SET NULL,
    to_email TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX outbox_due_idx ON outbox (sent_at, next_attempt_at);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    actor_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT,
    ip TEXT,
    at TIMESTAMP NOT NULL,
    details TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX audit_events_at_idx ON audit_events (at);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, at);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL, -- space-separated
    owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Leases for periodic tasks, so that of several instances on one database only one runs a task at a time.
CREATE TABLE task_leases (
    id TEXT PRIMARY KEY NOT NULL, -- the task's name
    holder TEXT NOT NULL,
    lease_until TIMESTAMP NOT NULL,
    last_run_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
