DROP INDEX engagements_started_idx;
