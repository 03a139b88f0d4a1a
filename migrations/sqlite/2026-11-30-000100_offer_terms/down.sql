ALTER TABLE offers DROP COLUMN location;
ALTER TABLE offers DROP COLUMN start_on;
ALTER TABLE offers DROP COLUMN currency;
ALTER TABLE offers DROP COLUMN annual_salary_cents;
