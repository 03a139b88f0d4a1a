DROP INDEX endorsement_requests_open_idx;
DROP INDEX endorsement_requests_one_open_idx;
UPDATE endorsement_requests SET status = 'cancelled' WHERE status = 'expired';
ALTER TABLE endorsement_requests DROP CONSTRAINT endorsement_requests_status_check;
ALTER TABLE endorsement_requests ADD CONSTRAINT endorsement_requests_status_check
    CHECK (status IN ('pending', 'fulfilled', 'declined', 'cancelled'));
ALTER TABLE endorsement_requests DROP COLUMN response_note;
ALTER TABLE endorsement_requests DROP COLUMN skills;
ALTER TABLE endorsement_requests DROP COLUMN opportunity_id;
ALTER TABLE endorsements DROP COLUMN hidden_at;
