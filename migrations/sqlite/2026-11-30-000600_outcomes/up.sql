-- Every change to an outcome is kept: who changed it, when, and the record before and
-- after (JSON of the outcome's fields; `before` is empty when it was recorded). Reports
-- and accreditors ask where a figure came from; this answers it.
CREATE TABLE outcome_changes (
    id TEXT PRIMARY KEY NOT NULL,
    outcome_id TEXT NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
    student_id TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
    changed_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    changed_by_label TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    before_fields TEXT,
    after_fields TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX outcome_changes_outcome_idx ON outcome_changes (outcome_id, changed_at);
CREATE INDEX outcome_changes_student_idx ON outcome_changes (student_id);
-- At most one primary outcome per graduate, whatever writes it.
CREATE UNIQUE INDEX outcomes_one_primary ON outcomes (student_id) WHERE is_primary;
