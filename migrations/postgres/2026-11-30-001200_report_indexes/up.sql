-- The micro-internships report reads engagements a page at a time in start order
-- (started_on, then id): without this index every page scanned and sorted every
-- engagement (issue 15).
CREATE INDEX engagements_started_idx ON engagements (started_on, id);
