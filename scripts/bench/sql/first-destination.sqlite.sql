-- first-destination.csv as SQLite's own CSV (`sqlite3 -csv -header`): the same rows and
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
  ) WHERE r = 1
),
tally AS (
  SELECT g.grp,
         count(*) AS graduates,
         count(c.category) AS known,
         sum(c.category = 'employed_full_time') AS ft,
         sum(c.category = 'employed_part_time') AS pt,
         sum(c.category = 'military') AS mil,
         sum(c.category = 'volunteer_service') AS vol,
         sum(c.category = 'continuing_education') AS edu,
         sum(c.category = 'seeking_employment') AS seek_emp,
         sum(c.category = 'seeking_continuing_education') AS seek_edu,
         sum(c.category = 'not_seeking') AS not_seeking
  FROM grads g LEFT JOIN counting c ON c.student_id = g.id
  GROUP BY g.grp
)
SELECT __COHORT__ AS cohort,
       grp AS "group",
       graduates,
       known,
       CASE WHEN graduates = 0 THEN '' ELSE printf('%d.%04d',
         (known * 20000 + graduates) / (2 * graduates) / 10000,
         (known * 20000 + graduates) / (2 * graduates) % 10000) END AS knowledge_rate,
       ft AS employed_full_time,
       pt AS employed_part_time,
       mil AS military,
       vol AS volunteer_service,
       edu AS continuing_education,
       seek_emp AS seeking_employment,
       seek_edu AS seeking_continuing_education,
       not_seeking,
       graduates - known AS no_information,
       CASE WHEN known - not_seeking = 0 THEN '' ELSE printf('%d.%04d',
         ((ft + pt + mil + vol + edu) * 20000 + known - not_seeking) / (2 * (known - not_seeking)) / 10000,
         ((ft + pt + mil + vol + edu) * 20000 + known - not_seeking) / (2 * (known - not_seeking)) % 10000)
       END AS career_outcomes_rate
FROM tally
ORDER BY grp;
