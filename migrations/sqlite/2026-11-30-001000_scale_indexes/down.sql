DROP INDEX applications_posting_order_idx;
DROP INDEX engagements_cancel_asked_idx;
DROP TRIGGER opportunity_search_insert;
DROP TRIGGER opportunity_search_update;
CREATE TRIGGER opportunity_search_insert AFTER INSERT ON opportunities BEGIN
    INSERT INTO opportunity_search (opportunity_id, title, description, skills, employer_name)
    VALUES (NEW.id, NEW.title, NEW.description, replace(NEW.skills, ',', ' '),
            (SELECT name FROM employers WHERE id = NEW.employer_id));
END;

CREATE TRIGGER opportunity_search_update AFTER UPDATE OF title, description, skills, employer_id ON opportunities BEGIN
    DELETE FROM opportunity_search WHERE opportunity_id = OLD.id;
    INSERT INTO opportunity_search (opportunity_id, title, description, skills, employer_name)
    VALUES (NEW.id, NEW.title, NEW.description, replace(NEW.skills, ',', ' '),
            (SELECT name FROM employers WHERE id = NEW.employer_id));
END;

DROP INDEX opportunities_newest_idx;
DROP INDEX opportunities_fee_idx;
DROP INDEX opportunities_apply_by_idx;
CREATE INDEX opportunities_open_fee_idx ON opportunities (status, fee_cents);
CREATE INDEX opportunities_opened_idx ON opportunities (status, opened_at);
