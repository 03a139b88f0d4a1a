-- conversions.csv as SQLite's own CSV (`sqlite3 -csv -header`): the same rows and columns
-- as `waypoint report conversions` without filters: one row per employer with a
-- completed engagement, in name order, then `All employers` (outcomes::rules::conversions).
-- A student converts with an employer when an offer from it (the micro-internship flow's
-- offers, or a confirmed outcome naming it with an offer date) came strictly after their
-- first completion with it; hired when such an offer was accepted (an accepted offer, or
-- an outcome with an accepted date or in employment). Rates: 4 decimals, rounded half up
-- in integer arithmetic; the median of days to offer: the middle value, or the mean of the
-- two middle ones (".5" when it falls on a half).
-- Legitimate differences: the report's file starts with a byte-order mark and ends lines
-- with CRLF.
WITH done AS (
  SELECT e.student_id, e.employer_id, e.completed_on
  FROM engagements e JOIN students s ON s.id = e.student_id
  WHERE e.status = 'completed' AND e.completed_on IS NOT NULL
),
firsts AS (
  SELECT employer_id, student_id, min(completed_on) AS done_on FROM done GROUP BY employer_id, student_id
),
made AS (
  SELECT student_id, employer_id, offer_on, status = 'accepted' AS accepted FROM offers
  UNION ALL
  SELECT student_id, employer_id, offer_on,
         accepted_on IS NOT NULL OR category IN ('employed_full_time', 'employed_part_time')
  FROM outcomes
  WHERE employer_id IS NOT NULL AND offer_on IS NOT NULL AND NOT awaiting_confirmation
),
converted AS (
  SELECT f.employer_id, f.student_id,
         CAST(julianday(min(m.offer_on)) - julianday(f.done_on) AS INTEGER) AS days,
         max(m.accepted) AS hired
  FROM firsts f
  JOIN made m ON m.employer_id = f.employer_id AND m.student_id = f.student_id AND m.offer_on > f.done_on
  GROUP BY f.employer_id, f.student_id, f.done_on
),
per_employer AS (
  SELECT c.employer_id,
         c.engagements_completed,
         c.students_completed,
         coalesce(v.students_offered, 0) AS students_offered,
         coalesce(v.students_hired, 0) AS students_hired
  FROM (SELECT employer_id, count(*) AS engagements_completed, count(DISTINCT student_id) AS students_completed
        FROM done GROUP BY employer_id) c
  LEFT JOIN (SELECT employer_id, count(*) AS students_offered, sum(hired) AS students_hired
             FROM converted GROUP BY employer_id) v ON v.employer_id = c.employer_id
),
ranked AS (
  SELECT employer_id, days,
         row_number() OVER (PARTITION BY employer_id ORDER BY days) AS i,
         count(*) OVER (PARTITION BY employer_id) AS n,
         row_number() OVER (ORDER BY days) AS all_i,
         count(*) OVER () AS all_n
  FROM converted
),
medians AS (
  SELECT employer_id,
         CASE WHEN max(n) % 2 = 1 THEN CAST(sum(days) AS TEXT)
              WHEN sum(days) % 2 = 0 THEN CAST(sum(days) / 2 AS TEXT)
              ELSE (sum(days) / 2) || '.5' END AS median
  FROM ranked WHERE i IN ((n + 1) / 2, n / 2 + 1) GROUP BY employer_id
),
all_median AS (
  SELECT CASE WHEN max(all_n) % 2 = 1 THEN CAST(sum(days) AS TEXT)
              WHEN sum(days) % 2 = 0 THEN CAST(sum(days) / 2 AS TEXT)
              ELSE (sum(days) / 2) || '.5' END AS median
  FROM ranked WHERE all_i IN ((all_n + 1) / 2, all_n / 2 + 1)
),
-- Each employer's tier: its current partnership's, else its latest one's.
tiers AS (
  SELECT employer_id, tier FROM (
    SELECT employer_id, tier,
           row_number() OVER (PARTITION BY employer_id
                              ORDER BY status <> 'ended' DESC, created_at DESC, tier DESC) AS r
    FROM partnerships
  ) WHERE r = 1
),
report AS (
  SELECT 0 AS part, em.name AS employer, em.id AS employer_id, coalesce(t.tier, '') AS partnership_tier,
         p.engagements_completed, p.students_completed, p.students_offered, p.students_hired,
         coalesce(m.median, '') AS median_days_to_offer
  FROM per_employer p
  JOIN employers em ON em.id = p.employer_id
  LEFT JOIN tiers t ON t.employer_id = p.employer_id
  LEFT JOIN medians m ON m.employer_id = p.employer_id
  UNION ALL
  SELECT 1, 'All employers', '', '',
         coalesce(sum(engagements_completed), 0), coalesce(sum(students_completed), 0),
         coalesce(sum(students_offered), 0), coalesce(sum(students_hired), 0),
         coalesce((SELECT median FROM all_median), '')
  FROM per_employer
)
SELECT employer, partnership_tier, engagements_completed, students_completed, students_offered,
       students_hired,
       CASE WHEN students_completed = 0 THEN '' ELSE printf('%d.%04d',
         (students_offered * 20000 + students_completed) / (2 * students_completed) / 10000,
         (students_offered * 20000 + students_completed) / (2 * students_completed) % 10000)
       END AS conversion_rate,
       median_days_to_offer
FROM report
ORDER BY part, employer, employer_id;
