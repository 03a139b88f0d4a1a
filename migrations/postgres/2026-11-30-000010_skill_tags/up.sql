-- A posting's skill tags and whom it is open to, one row per value, so that the catalogue
-- matches them exactly (no LIKE, no wildcards) and through an index. Values are stored in
-- the one normal form of src/opportunities/rules.rs, used when writing and when filtering:
--   skill:           trimmed, lower case, inner whitespace as one '-'   ("market-research")
--   college, major:  trimmed, lower case, inner whitespace as one ' '   ("school of business")
--   class_year:      the year as a number
-- The comma-separated columns of `opportunities` stay as typed, for display and the form;
-- opportunities::model::write_tags writes these rows in the same transaction as them.
-- Keep in step with migrations/sqlite (same name, same tables).

CREATE TABLE opportunity_skills (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    skill TEXT NOT NULL CHECK (skill <> ''),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (opportunity_id, skill)
);
CREATE INDEX opportunity_skills_skill_idx ON opportunity_skills (skill, opportunity_id);

CREATE TABLE opportunity_colleges (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    college TEXT NOT NULL CHECK (college <> ''),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (opportunity_id, college)
);
CREATE INDEX opportunity_colleges_college_idx ON opportunity_colleges (college, opportunity_id);

CREATE TABLE opportunity_majors (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    major TEXT NOT NULL CHECK (major <> ''),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (opportunity_id, major)
);
CREATE INDEX opportunity_majors_major_idx ON opportunity_majors (major, opportunity_id);

CREATE TABLE opportunity_class_years (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    class_year INTEGER NOT NULL CHECK (class_year BETWEEN 1900 AND 2200),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (opportunity_id, class_year)
);
CREATE INDEX opportunity_class_years_year_idx ON opportunity_class_years (class_year, opportunity_id);

-- The postings there are: their lists split at commas and brought to the normal form
-- (lower() and \s as in Rust's to_lowercase and split_whitespace, for the letters and
-- spaces campus names use); the store rewrites a posting's rows whenever it is saved.
CREATE FUNCTION pg_temp.posting_list_key(item TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT btrim(regexp_replace(lower(item), '\s+', ' ', 'g'))
$$;

INSERT INTO opportunity_skills (id, opportunity_id, skill)
SELECT DISTINCT ON (o.id, replace(pg_temp.posting_list_key(t.item), ' ', '-'))
       gen_random_uuid()::text, o.id, replace(pg_temp.posting_list_key(t.item), ' ', '-')
FROM opportunities o, unnest(string_to_array(o.skills, ',')) AS t (item)
WHERE pg_temp.posting_list_key(t.item) <> '';

INSERT INTO opportunity_colleges (id, opportunity_id, college)
SELECT DISTINCT ON (o.id, pg_temp.posting_list_key(t.item))
       gen_random_uuid()::text, o.id, pg_temp.posting_list_key(t.item)
FROM opportunities o, unnest(string_to_array(o.eligible_colleges, ',')) AS t (item)
WHERE pg_temp.posting_list_key(t.item) <> '';

INSERT INTO opportunity_majors (id, opportunity_id, major)
SELECT DISTINCT ON (o.id, pg_temp.posting_list_key(t.item))
       gen_random_uuid()::text, o.id, pg_temp.posting_list_key(t.item)
FROM opportunities o, unnest(string_to_array(o.eligible_majors, ',')) AS t (item)
WHERE pg_temp.posting_list_key(t.item) <> '';

INSERT INTO opportunity_class_years (id, opportunity_id, class_year)
SELECT DISTINCT ON (o.id, CAST(btrim(t.item) AS INTEGER))
       gen_random_uuid()::text, o.id, CAST(btrim(t.item) AS INTEGER)
FROM opportunities o, unnest(string_to_array(o.eligible_class_years, ',')) AS t (item)
WHERE btrim(t.item) ~ '^[0-9]{4}$';

DROP FUNCTION pg_temp.posting_list_key(TEXT);
