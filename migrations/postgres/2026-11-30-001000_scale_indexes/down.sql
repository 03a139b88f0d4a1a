DROP INDEX applications_posting_order_idx;
DROP INDEX engagements_cancel_asked_idx;
DROP INDEX opportunities_newest_idx;
DROP INDEX opportunities_fee_idx;
DROP INDEX opportunities_apply_by_idx;
CREATE INDEX opportunities_open_fee_idx ON opportunities (status, fee_cents);
CREATE INDEX opportunities_opened_idx ON opportunities (status, opened_at);
