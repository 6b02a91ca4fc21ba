-- Up Migration
-- Who may publish what. Services reach the log as roles of their own (see
-- provisionBusProducers) that cannot write bus_events: they append through
-- ates_bus_append, which lets a role publish only the event names its service owns in
-- the schema registry, and only with its own name as the producer.
CREATE TABLE bus_event_owners (
  event_name text PRIMARY KEY,
  producer   text NOT NULL
);
CREATE TABLE bus_producer_roles (
  role_name text PRIMARY KEY,
  producer  text NOT NULL
);

CREATE FUNCTION ates_bus_append(ids text[], names text[], keys text[], bodies text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  me text;
  refused record;
BEGIN
  SELECT producer INTO me FROM bus_producer_roles WHERE role_name = session_user;
  IF me IS NULL AND NOT has_table_privilege(session_user, 'bus_events', 'INSERT') THEN
    RAISE EXCEPTION 'role % may not publish to the bus', session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF me IS NOT NULL THEN
    SELECT c.name, c.owner, c.claimed INTO refused
    FROM (
      SELECT m.name, o.producer AS owner, m.body::json ->> 'producer' AS claimed
      FROM unnest(names, bodies) AS m(name, body) LEFT JOIN bus_event_owners o ON o.event_name = m.name
    ) AS c
    WHERE c.owner IS DISTINCT FROM me OR c.claimed IS DISTINCT FROM me
    LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION '% may not publish %: it belongs to %, and the event says it came from %', me, refused.name, coalesce(refused.owner, 'nobody'), coalesce(refused.claimed, 'nobody')
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  -- Appends are serialized so that a position is visible only after every smaller one.
  -- lockKeys.busAppend in packages/platform/src/db/lockKeys.ts
  PERFORM pg_advisory_xact_lock(41000, 1);
  INSERT INTO bus_events (event_id, name, aggregate_key, body)
  SELECT id, name, key, body FROM unnest(ids, names, keys, bodies) WITH ORDINALITY AS m(id, name, key, body, n)
  ORDER BY n
  ON CONFLICT (event_id) DO NOTHING;
  PERFORM pg_notify('ates_bus', '');
END;
$$;
REVOKE ALL ON FUNCTION ates_bus_append(text[], text[], text[], text[]) FROM PUBLIC;

-- Down Migration
DROP FUNCTION ates_bus_append(text[], text[], text[], text[]);
DROP TABLE bus_producer_roles;
DROP TABLE bus_event_owners;
