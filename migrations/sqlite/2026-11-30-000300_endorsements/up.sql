-- Faculty endorsements and the students' requests for them (DESIGN §2). Keep in step with
-- migrations/postgres (same name, same columns).
--
-- endorsements.hidden_at: the student withdrew the endorsement from sharing; while set,
--   no employer sees it (not on applications it was shared on before, not on new ones).
-- endorsement_requests: the posting and skills the student asked about, the faculty
--   member's note when declining, and 'expired' (open requests lapse after 30 days).
--   'pending' is an open request; a student has at most one open request per faculty
--   member (a partial unique index, so two requests at once cannot both get in).
-- SQLite cannot change a CHECK constraint in place, so endorsement_requests is rebuilt
-- (no table refers to it).

ALTER TABLE endorsements ADD COLUMN hidden_at TIMESTAMP;

CREATE TABLE endorsement_requests_new (
    id TEXT PRIMARY KEY NOT NULL,
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    faculty_id TEXT NOT NULL REFERENCES faculty (id) ON DELETE CASCADE,
    message TEXT NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fulfilled', 'declined', 'cancelled', 'expired')),
    endorsement_id TEXT REFERENCES endorsements (id) ON DELETE SET NULL,
    responded_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    opportunity_id TEXT REFERENCES opportunities (id) ON DELETE SET NULL,
    skills TEXT NOT NULL DEFAULT '',
    response_note TEXT
);
INSERT INTO endorsement_requests_new (id, student_id, faculty_id, message, status, endorsement_id, responded_at, created_at, updated_at)
SELECT id, student_id, faculty_id, message, status, endorsement_id, responded_at, created_at, updated_at FROM endorsement_requests;
DROP TABLE endorsement_requests;
ALTER TABLE endorsement_requests_new RENAME TO endorsement_requests;
CREATE INDEX endorsement_requests_faculty_idx ON endorsement_requests (faculty_id, status);
CREATE INDEX endorsement_requests_student_idx ON endorsement_requests (student_id);
CREATE UNIQUE INDEX endorsement_requests_one_open_idx ON endorsement_requests (student_id, faculty_id) WHERE status = 'pending';
CREATE INDEX endorsement_requests_open_idx ON endorsement_requests (status, created_at);
