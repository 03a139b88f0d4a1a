DROP INDEX audit_events_action_idx;
DROP TABLE employer_vettings;
DROP TABLE password_resets;
