-- placements.csv as SQLite's own CSV (`sqlite3 -csv -header`): the same rows and columns
-- as `waypoint report placements` without filters, in the same order. `__MONTH__` is the
-- campus month (YYYY-MM; scripts/bench/exports.sh fills it in): a graduation term after
-- it has no cohort yet. Legitimate differences: the report's file starts with a
-- byte-order mark, ends lines with CRLF and neutralises would-be formulas with a `'`.
SELECT s.student_number,
       s.name AS student_name,
       s.email,
       s.college,
       s.major,
       CASE WHEN s.graduation_term <= '__MONTH__' THEN
         CAST(substr(s.graduation_term, 1, 4) AS INTEGER)
           + (CAST(substr(s.graduation_term, 6, 2) AS INTEGER) >= 7)
       ELSE '' END AS cohort,
       o.category,
       o.employment_type,
       coalesce(o.organization, em.name) AS organization,
       o.job_title,
       o.start_on,
       CASE WHEN o.annual_salary_cents IS NOT NULL THEN
         printf('%s%d.%02d', CASE WHEN o.annual_salary_cents < 0 THEN '-' ELSE '' END,
                abs(o.annual_salary_cents) / 100, abs(o.annual_salary_cents) % 100)
       END AS annual_salary,
       o.currency,
       o.source,
       -- A micro-internship before the offer: a completed engagement with that employer
       -- strictly before the offer date.
       CASE WHEN o.employer_id IS NOT NULL AND o.offer_on IS NOT NULL AND EXISTS (
              SELECT 1 FROM engagements g
              WHERE g.student_id = o.student_id AND g.employer_id = o.employer_id
                AND g.status = 'completed' AND g.completed_on < o.offer_on)
            THEN 'true' ELSE 'false' END AS via_micro_internship,
       o.offer_on,
       o.accepted_on
FROM outcomes o
JOIN students s ON s.id = o.student_id
LEFT JOIN employers em ON em.id = o.employer_id
WHERE o.category IN ('employed_full_time', 'employed_part_time', 'military',
                     'volunteer_service', 'continuing_education')
  AND NOT o.awaiting_confirmation
ORDER BY s.student_number, o.id;
