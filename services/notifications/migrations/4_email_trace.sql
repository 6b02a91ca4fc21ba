-- Up Migration
-- The trace of the payout an email is for (the event's trace_id): sending it is the last
-- span of the trace that started with the day's close.
ALTER TABLE outgoing_emails ADD COLUMN trace_id text;
