-- Full-text search over the catalogue (PostgreSQL: tsvector + GIN, English stemming).
-- One row per posting, weighted: title and employer name (A), skills (B), description (C);
-- kept in step by triggers. Keep in step with migrations/sqlite (same name, same behaviour).

CREATE TABLE opportunity_search (
    opportunity_id TEXT PRIMARY KEY NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    document tsvector NOT NULL
);
CREATE INDEX opportunity_search_document_idx ON opportunity_search USING GIN (document);

CREATE FUNCTION opportunity_search_document(title TEXT, description TEXT, skills TEXT, employer_name TEXT)
RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(employer_name, '')), 'A')
        || setweight(to_tsvector('english', replace(coalesce(skills, ''), ',', ' ')), 'B')
        || setweight(to_tsvector('english', coalesce(description, '')), 'C')
$$;

CREATE FUNCTION opportunity_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO opportunity_search (opportunity_id, document)
    VALUES (NEW.id, opportunity_search_document(NEW.title, NEW.description, NEW.skills,
            (SELECT name FROM employers WHERE id = NEW.employer_id)))
    ON CONFLICT (opportunity_id) DO UPDATE SET document = EXCLUDED.document;
    RETURN NEW;
END
$$;

CREATE TRIGGER opportunity_search_write AFTER INSERT OR UPDATE OF title, description, skills, employer_id
ON opportunities FOR EACH ROW EXECUTE FUNCTION opportunity_search_refresh();

CREATE FUNCTION opportunity_search_employer_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name IS DISTINCT FROM OLD.name THEN
        UPDATE opportunity_search s
        SET document = opportunity_search_document(o.title, o.description, o.skills, NEW.name)
        FROM opportunities o
        WHERE o.id = s.opportunity_id AND o.employer_id = NEW.id;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER opportunity_search_employer AFTER UPDATE OF name ON employers
FOR EACH ROW EXECUTE FUNCTION opportunity_search_employer_renamed();

INSERT INTO opportunity_search (opportunity_id, document)
SELECT o.id, opportunity_search_document(o.title, o.description, o.skills, e.name)
FROM opportunities o JOIN employers e ON e.id = o.employer_id;

-- Catalogue filters and sorts.
CREATE INDEX opportunities_open_fee_idx ON opportunities (status, fee_cents);
CREATE INDEX opportunities_open_hours_idx ON opportunities (status, hours);
CREATE INDEX opportunities_opened_idx ON opportunities (status, opened_at);
CREATE INDEX employers_name_idx ON employers (name);
