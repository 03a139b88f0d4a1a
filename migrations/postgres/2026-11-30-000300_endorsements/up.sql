-- Faculty endorsements and the students' requests for them (DESIGN §2). Keep in step with
-- migrations/sqlite (same name, same columns).
--
-- endorsements.hidden_at: the student withdrew the endorsement from sharing; while set,
--   no employer sees it (not on applications it was shared on before, not on new ones).
-- endorsement_requests: the posting and skills the student asked about, the faculty
--   member's note when declining, and 'expired' (open requests lapse after 30 days).
--   'pending' is an open request; a student has at most one open request per faculty
--   member (a partial unique index, so two requests at once cannot both get in).

ALTER TABLE endorsements ADD COLUMN hidden_at TIMESTAMP;

ALTER TABLE endorsement_requests ADD COLUMN opportunity_id TEXT REFERENCES opportunities (id) ON DELETE SET NULL;
ALTER TABLE endorsement_requests ADD COLUMN skills TEXT NOT NULL DEFAULT '';
ALTER TABLE endorsement_requests ADD COLUMN response_note TEXT;
ALTER TABLE endorsement_requests DROP CONSTRAINT endorsement_requests_status_check;
ALTER TABLE endorsement_requests ADD CONSTRAINT endorsement_requests_status_check
    CHECK (status IN ('pending', 'fulfilled', 'declined', 'cancelled', 'expired'));
CREATE UNIQUE INDEX endorsement_requests_one_open_idx ON endorsement_requests (student_id, faculty_id) WHERE status = 'pending';
CREATE INDEX endorsement_requests_open_idx ON endorsement_requests (status, created_at);
