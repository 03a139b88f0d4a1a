-- A posting's skill tags and whom it is open to, one row per value, so that the catalogue
-- matches them exactly (no LIKE, no wildcards) and through an index. Values are stored in
-- the one normal form of src/opportunities/rules.rs, used when writing and when filtering:
--   skill:           trimmed, lower case, inner whitespace as one '-'   ("market-research")
--   college, major:  trimmed, lower case, inner whitespace as one ' '   ("school of business")
--   class_year:      the year as a number
-- The comma-separated columns of `opportunities` stay as typed, for display and the form;
-- opportunities::model::write_tags writes these rows in the same transaction as them.
-- Keep in step with migrations/postgres (same name, same tables).

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

-- The postings there are: their lists split at commas and brought to the normal form.
-- SQLite's lower() folds A-Z only; the lists were written lower case (skills) or are
-- English names (colleges, majors), and the store rewrites a posting's rows whenever it
-- is saved. Runs of spaces and tabs collapse (up to 64 in a row).
CREATE TEMPORARY TABLE posting_list_items (opportunity_id TEXT NOT NULL, list TEXT NOT NULL, item TEXT NOT NULL);

INSERT INTO posting_list_items (opportunity_id, list, item)
WITH RECURSIVE lists (opportunity_id, list, rest) AS (
    SELECT id, 'skills', skills || ',' FROM opportunities
    UNION ALL SELECT id, 'colleges', eligible_colleges || ',' FROM opportunities
    UNION ALL SELECT id, 'majors', eligible_majors || ',' FROM opportunities
    UNION ALL SELECT id, 'class_years', eligible_class_years || ',' FROM opportunities
),
split (opportunity_id, list, item, rest) AS (
    SELECT opportunity_id, list, NULL, rest FROM lists
    UNION ALL
    SELECT opportunity_id, list, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
    FROM split WHERE rest <> ''
)
SELECT opportunity_id, list,
       trim(replace(replace(replace(replace(replace(replace(lower(replace(replace(replace(item, char(9), ' '), char(10), ' '), char(13), ' ')),
            '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '), '  ', ' '))
FROM split WHERE item IS NOT NULL;

INSERT OR IGNORE INTO opportunity_skills (id, opportunity_id, skill)
SELECT lower(hex(randomblob(16))), opportunity_id, replace(item, ' ', '-')
FROM posting_list_items WHERE list = 'skills' AND item <> '';

INSERT OR IGNORE INTO opportunity_colleges (id, opportunity_id, college)
SELECT lower(hex(randomblob(16))), opportunity_id, item
FROM posting_list_items WHERE list = 'colleges' AND item <> '';

INSERT OR IGNORE INTO opportunity_majors (id, opportunity_id, major)
SELECT lower(hex(randomblob(16))), opportunity_id, item
FROM posting_list_items WHERE list = 'majors' AND item <> '';

INSERT OR IGNORE INTO opportunity_class_years (id, opportunity_id, class_year)
SELECT lower(hex(randomblob(16))), opportunity_id, CAST(item AS INTEGER)
FROM posting_list_items WHERE list = 'class_years' AND item GLOB '[0-9][0-9][0-9][0-9]';

DROP TABLE posting_list_items;
