-- University scale (issue 15). Keep in step with migrations/sqlite (same name).
--
-- The catalogue's sorts walk an index in the order shown, ties broken by id, so that a
-- page (keyset: after the last row's sort key and id) starts where the last one ended
-- and stops after 21 rows, however many postings match.
DROP INDEX opportunities_opened_idx;
DROP INDEX opportunities_open_fee_idx;
CREATE INDEX opportunities_newest_idx ON opportunities (status, opened_at DESC, id);
CREATE INDEX opportunities_fee_idx ON opportunities (status, fee_cents DESC, id);
CREATE INDEX opportunities_apply_by_idx ON opportunities (status, apply_by, id);
-- A posting's applicants a page at a time, oldest first (keyset on time and id).
CREATE INDEX applications_posting_order_idx ON applications (opportunity_id, created_at, id);
-- The office's queue of projects someone asked to cancel, without reading every project.
CREATE INDEX engagements_cancel_asked_idx ON engagements (updated_at, id) WHERE cancel_requested_by IS NOT NULL;

-- (SQLite also pairs its full-text rows with the postings' rowids; PostgreSQL's search
-- table is keyed by the posting's id already.)
