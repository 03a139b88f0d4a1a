-- micro-internships.csv as SQLite's own CSV (`sqlite3 -csv -header`): the same rows and
-- columns as `waypoint report micro-internships` without filters, in the same order.
-- Legitimate differences: the report's file starts with a byte-order mark, ends lines
-- with CRLF and neutralises would-be formulas with a leading `'`; none of the values of
-- this report start with = + - @ unless a title does.
SELECT e.opportunity_id,
       o.title,
       em.name AS employer,
       s.student_number,
       o.hours,
       printf('%s%d.%02d', CASE WHEN o.fee_cents < 0 THEN '-' ELSE '' END,
              abs(o.fee_cents) / 100, abs(o.fee_cents) % 100) AS fee,
       o.currency,
       e.status,
       e.started_on,
       e.submitted_on,
       e.completed_on,
       e.rating,
       e.paid_on,
       CASE WHEN e.amount_paid_cents IS NOT NULL THEN
         printf('%s%d.%02d', CASE WHEN e.amount_paid_cents < 0 THEN '-' ELSE '' END,
                abs(e.amount_paid_cents) / 100, abs(e.amount_paid_cents) % 100)
       END AS amount_paid
FROM engagements e
JOIN opportunities o ON o.id = e.opportunity_id
JOIN employers em ON em.id = e.employer_id
JOIN students s ON s.id = e.student_id
ORDER BY e.started_on, e.id;
