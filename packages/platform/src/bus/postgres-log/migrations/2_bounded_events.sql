-- Up Migration
-- No event body over 512 KiB (maxEventBytes in eventSizeLimit.ts): a 600 MB event once
-- crashed every consumer that read it. NOT VALID: rows stored before the limit stay, and
-- consumers put such an event aside instead of reading it.
ALTER TABLE bus_events ADD CONSTRAINT bus_events_body_size CHECK (octet_length(body) <= 524288) NOT VALID;

-- Down Migration
ALTER TABLE bus_events DROP CONSTRAINT bus_events_body_size;
