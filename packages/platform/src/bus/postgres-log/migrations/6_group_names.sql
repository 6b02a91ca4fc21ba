-- Up Migration
-- Lag is counted in positions up to the newest event a group reads. Since appends wake
-- only the subscriptions that read what was appended (migration 5), a group that reads
-- some names no longer moves past the others as they are appended, only on its next
-- read: counted up to the newest event of any name, its lag stayed above 0 for as long
-- as the safety poll (5 s) after it had caught up. The active member records the names
-- it reads here; NULL: every name.
ALTER TABLE bus_consumer_groups ADD COLUMN names text[];

-- Down Migration
ALTER TABLE bus_consumer_groups DROP COLUMN names;
