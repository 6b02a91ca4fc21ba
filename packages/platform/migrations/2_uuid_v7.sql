-- Up Migration
-- UUID v7 (time-ordered) for event ids written by set-based SQL, e.g. a shuffle of a
-- million tasks; the same layout `createEvent` uses. PostgreSQL 18 has it built in.
CREATE FUNCTION ates_uuid_v7() RETURNS uuid AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$ LANGUAGE sql VOLATILE;

-- Down Migration
DROP FUNCTION ates_uuid_v7();
