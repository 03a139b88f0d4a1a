-- An offer made after a project records its terms where the employer gives them: the
-- annual salary (integer cents, in its currency), the start date and the place of work.
-- They feed the outcome an accepted offer becomes (the placement report reads it).
ALTER TABLE offers ADD COLUMN annual_salary_cents BIGINT CHECK (annual_salary_cents IS NULL OR annual_salary_cents >= 0);
ALTER TABLE offers ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
ALTER TABLE offers ADD COLUMN start_on DATE;
ALTER TABLE offers ADD COLUMN location TEXT;
