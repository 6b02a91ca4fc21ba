-- Up Migration
-- The event envelope, for events built by set-based SQL: the same fields `createEvent`
-- writes. Producers check a sample of what it built against the schema registry.
CREATE FUNCTION ates_envelope(event_id uuid, event_name text, event_version int, producer text, occurred_at text, aggregate_id text, trace_id text, data json)
RETURNS text AS $$
  SELECT json_build_object(
    'event_id', event_id, 'event_name', event_name, 'event_version', event_version, 'producer', producer,
    'occurred_at', occurred_at, 'aggregate_id', aggregate_id, 'trace_id', trace_id, 'data', data)::text
$$ LANGUAGE sql IMMUTABLE;

-- Down Migration
DROP FUNCTION ates_envelope(uuid, text, int, text, text, text, text, json);
