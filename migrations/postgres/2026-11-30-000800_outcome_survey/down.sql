DROP TABLE survey_links;
DROP TABLE survey_invitations;
ALTER TABLE outcomes DROP COLUMN awaiting_confirmation;
