-- first-destination.csv as PostgreSQL's own CSV (`psql --csv`): the same rows and
-- columns as `waypoint report first-destination --cohort Y` (grouped by college), in the
-- same order. scripts/bench/exports.sh fills in `__COHORT__` (Y), `__FIRST__` (Y−1-07)
-- and `__LAST__` (Y-06, or the campus month if earlier). A graduate's counting outcome:
-- among their confirmed outcomes known by December 31 of Y, the primary one, else the
-- one known latest (ties: recorded latest) — outcomes::rules::counting_outcome.
-- Rates: 4 decimals, rounded half up in integer arithmetic, empty for a zero denominator.
-- Legitimate differences: the report's file starts with a byte-order mark and ends lines
-- with CRLF; on an exact tie of (primary, known_on, created_at) the two may pick
-- different outcomes (the report takes the last read).
WITH grads AS (
  SELECT id, college AS grp FROM students
  WHERE graduation_term >= '__FIRST__' AND graduation_term <= '__LAST__'
),
counting AS (
  SELECT student_id, category FROM (
    SELECT o.student_id, o.category,
           row_number() OVER (PARTITION BY o.student_id
                              ORDER BY o.is_primary DESC, o.known_on DESC, o.created_at DESC) AS r
    FROM outcomes o JOIN grads g ON g.id = o.student_id
    WHERE o.known_on <= '__COHORT__-12-31' AND NOT o.awaiting_confirmation
  ) ranked WHERE r = 1
),
tally AS (
  SELECT g.grp,
         count(*) AS graduates,
         count(c.category) AS known,
         count(*) FILTER (WHERE c.category = 'employed_full_time') AS ft,
         count(*) FILTER (WHERE c.category = 'employed_part_time') AS pt,
         count(*) FILTER (WHERE c.category = 'military') AS mil,
         count(*) FILTER (WHERE c.category = 'volunteer_service') AS vol,
         count(*) FILTER (WHERE c.category = 'continuing_education') AS edu,
         count(*) FILTER (WHERE c.category = 'seeking_employment') AS seek_emp,
         count(*) FILTER (WHERE c.category = 'seeking_continuing_education') AS seek_edu,
         count(*) FILTER (WHERE c.category = 'not_seeking') AS not_seeking
  FROM grads g LEFT JOIN counting c ON c.student_id = g.id
  GROUP BY g.grp
)
SELECT __COHORT__ AS cohort,
       grp AS "group",
       graduates,
       known,
       CASE WHEN graduates = 0 THEN '' ELSE
         ((known * 20000 + graduates) / (2 * graduates) / 10000)::text || '.'
         || lpad(((known * 20000 + graduates) / (2 * graduates) % 10000)::text, 4, '0') END AS knowledge_rate,
       ft AS employed_full_time,
       pt AS employed_part_time,
       mil AS military,
       vol AS volunteer_service,
       edu AS continuing_education,
       seek_emp AS seeking_employment,
       seek_edu AS seeking_continuing_education,
       not_seeking,
       graduates - known AS no_information,
       CASE WHEN known - not_seeking = 0 THEN '' ELSE
         (((ft + pt + mil + vol + edu) * 20000 + known - not_seeking) / (2 * (known - not_seeking)) / 10000)::text
         || '.' || lpad(((((ft + pt + mil + vol + edu) * 20000 + known - not_seeking)
                         / (2 * (known - not_seeking))) % 10000)::text, 4, '0')
       END AS career_outcomes_rate
FROM tally
ORDER BY grp;
