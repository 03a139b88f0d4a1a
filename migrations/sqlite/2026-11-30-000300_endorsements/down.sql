CREATE TABLE endorsement_requests_old (
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
INSERT INTO endorsement_requests_old (id, student_id, faculty_id, message, status, endorsement_id, responded_at, created_at, updated_at)
SELECT id, student_id, faculty_id, message, CASE status WHEN 'expired' THEN 'cancelled' ELSE status END,
       endorsement_id, responded_at, created_at, updated_at FROM endorsement_requests;
DROP TABLE endorsement_requests;
ALTER TABLE endorsement_requests_old RENAME TO endorsement_requests;
CREATE INDEX endorsement_requests_faculty_idx ON endorsement_requests (faculty_id, status);
CREATE INDEX endorsement_requests_student_idx ON endorsement_requests (student_id);
ALTER TABLE endorsements DROP COLUMN hidden_at;
