DROP INDEX outcomes_one_primary;
DROP TABLE outcome_changes;
