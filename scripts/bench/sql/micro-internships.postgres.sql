-- micro-internships.csv as PostgreSQL's own CSV (`psql --csv`): the same rows and
-- columns as `waypoint report micro-internships` without filters, in the same order.
-- Legitimate differences: the report's file starts with a byte-order mark, ends lines
-- with CRLF and neutralises would-be formulas with a leading `'`.
SELECT e.opportunity_id,
       o.title,
       em.name AS employer,
       s.student_number,
       o.hours,
       CASE WHEN o.fee_cents < 0 THEN '-' ELSE '' END
         || (abs(o.fee_cents) / 100)::text || '.' || lpad((abs(o.fee_cents) % 100)::text, 2, '0') AS fee,
       o.currency,
       e.status,
       e.started_on,
       e.submitted_on,
       e.completed_on,
       e.rating,
       e.paid_on,
       CASE WHEN e.amount_paid_cents < 0 THEN '-' ELSE '' END
         || (abs(e.amount_paid_cents) / 100)::text || '.'
         || lpad((abs(e.amount_paid_cents) % 100)::text, 2, '0') AS amount_paid
FROM engagements e
JOIN opportunities o ON o.id = e.opportunity_id
JOIN employers em ON em.id = e.employer_id
JOIN students s ON s.id = e.student_id
ORDER BY e.started_on, e.id;
