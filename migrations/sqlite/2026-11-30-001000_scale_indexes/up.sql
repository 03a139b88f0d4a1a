-- University scale (issue 15). Keep in step with migrations/postgres (same name).
--
-- The catalogue's sorts walk an index in the order shown, ties broken by id, so that a
-- page (keyset: after the last row's sort key and id) starts where the last one ended
-- and stops after 21 rows, however many postings match. Postings opened at the same
-- moment would otherwise be sorted in a temporary tree, all of them, on every page.
DROP INDEX opportunities_opened_idx;
DROP INDEX opportunities_open_fee_idx;
CREATE INDEX opportunities_newest_idx ON opportunities (status, opened_at DESC, id);
CREATE INDEX opportunities_fee_idx ON opportunities (status, fee_cents DESC, id);
CREATE INDEX opportunities_apply_by_idx ON opportunities (status, apply_by, id);

-- A posting's applicants a page at a time, oldest first (keyset on time and id).
CREATE INDEX applications_posting_order_idx ON applications (opportunity_id, created_at, id);
-- The office's queue of projects someone asked to cancel, without reading every project.
CREATE INDEX engagements_cancel_asked_idx ON engagements (updated_at, id) WHERE cancel_requested_by IS NOT NULL;

-- Full-text rows carry their posting's rowid, so that a broad search (words found in
-- most postings) is a set of rowids read from the index alone, which the catalogue's walk
-- in sort order tests each posting against, instead of every match's content being read,
-- joined and sorted. The server checks the pairing at start and hourly, and rebuilds the
-- rows if a VACUUM or a restore renumbered the postings (db::refresh_statistics); until then
-- a write replaces (OR REPLACE) rather than fails.
DELETE FROM opportunity_search;
INSERT INTO opportunity_search (rowid, opportunity_id, title, description, skills, employer_name)
SELECT o.rowid, o.id, o.title, o.description, replace(o.skills, ',', ' '), e.name
FROM opportunities o JOIN employers e ON e.id = o.employer_id;
-- One segment again (a rebuilt index left in pieces answers a search twice as slowly).
INSERT INTO opportunity_search (opportunity_search) VALUES ('optimize');

DROP TRIGGER opportunity_search_insert;
DROP TRIGGER opportunity_search_update;
CREATE TRIGGER opportunity_search_insert AFTER INSERT ON opportunities BEGIN
    INSERT OR REPLACE INTO opportunity_search (rowid, opportunity_id, title, description, skills, employer_name)
    VALUES (NEW.rowid, NEW.id, NEW.title, NEW.description, replace(NEW.skills, ',', ' '),
            (SELECT name FROM employers WHERE id = NEW.employer_id));
END;

CREATE TRIGGER opportunity_search_update AFTER UPDATE OF title, description, skills, employer_id ON opportunities BEGIN
    DELETE FROM opportunity_search WHERE opportunity_id = OLD.id;
    INSERT OR REPLACE INTO opportunity_search (rowid, opportunity_id, title, description, skills, employer_name)
    VALUES (NEW.rowid, NEW.id, NEW.title, NEW.description, replace(NEW.skills, ',', ' '),
            (SELECT name FROM employers WHERE id = NEW.employer_id));
END;
