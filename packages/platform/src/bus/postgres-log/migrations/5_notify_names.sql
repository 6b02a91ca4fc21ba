-- Up Migration
-- Every append woke every subscription in every process, to find nothing when it read
-- none of the names appended: under create load the notifications service (which reads
-- account and payout events only) spent 86-170 us of CPU for each task created, and
-- tasks woke for each event accounting published. The notification now names what was
-- appended (see PostgresLogBus.listen).
CREATE OR REPLACE FUNCTION ates_bus_append(ids text[], names text[], keys text[], bodies text[]) RETURNS void
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
  -- Says which names were appended, so a subscription wakes only for names it reads (an
  -- empty payload, as versions before this one sent, wakes every subscription). Names are
  -- short and few; past the 8000-byte payload limit it falls back to the empty payload.
  PERFORM pg_notify('ates_bus', CASE WHEN length(appended) < 7000 THEN appended ELSE '' END)
  FROM (SELECT string_agg(DISTINCT name, ',') AS appended FROM unnest(names) AS m(name)) AS a;
END;
$$;

-- Down Migration
CREATE OR REPLACE FUNCTION ates_bus_append(ids text[], names text[], keys text[], bodies text[]) RETURNS void
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
