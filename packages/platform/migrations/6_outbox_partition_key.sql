-- Up Migration
-- What a partitioned consumer group shares an event's work by (partitionKeyOf): the
-- account a money event moves, so one ledger member posts all of an account's lines.
-- NULL: the aggregate id, as for every event written before this column.
ALTER TABLE ates_outbox ADD COLUMN partition_key text;

-- Down Migration
ALTER TABLE ates_outbox DROP COLUMN partition_key;
