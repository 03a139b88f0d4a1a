-- Full-text search over the catalogue (SQLite: FTS5 with Porter stemming).
-- One row per posting: its title, description, skills and employer's name, kept in step
-- by triggers. Keep in step with migrations/postgres (same name, same behaviour).

CREATE VIRTUAL TABLE opportunity_search USING fts5(
    opportunity_id UNINDEXED,
    title,
    description,
    skills,
    employer_name,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO opportunity_search (opportunity_id, title, description, skills, employer_name)
SELECT o.id, o.title, o.description, replace(o.skills, ',', ' '), e.name
FROM opportunities o JOIN employers e ON e.id = o.employer_id;

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

CREATE TRIGGER opportunity_search_delete AFTER DELETE ON opportunities BEGIN
    DELETE FROM opportunity_search WHERE opportunity_id = OLD.id;
END;

CREATE TRIGGER opportunity_search_employer_renamed AFTER UPDATE OF name ON employers BEGIN
    UPDATE opportunity_search SET employer_name = NEW.name
    WHERE opportunity_id IN (SELECT id FROM opportunities WHERE employer_id = NEW.id);
END;

-- Catalogue filters and sorts.
CREATE INDEX opportunities_open_fee_idx ON opportunities (status, fee_cents);
CREATE INDEX opportunities_open_hours_idx ON opportunities (status, hours);
CREATE INDEX opportunities_opened_idx ON opportunities (status, opened_at);
CREATE INDEX employers_name_idx ON employers (name);
