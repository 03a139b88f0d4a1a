DROP TABLE pending_grants;
