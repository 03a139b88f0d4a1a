DROP INDEX students_major_order_idx;
DROP INDEX students_college_order_idx;
DROP INDEX partnerships_employer_status_idx;
DROP INDEX opportunities_review_queue_idx;
DROP INDEX opportunities_status_idx;
CREATE INDEX opportunities_status_idx ON opportunities (status, apply_by);
