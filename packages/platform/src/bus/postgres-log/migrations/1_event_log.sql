-- Up Migration
-- The log: one row per event, in the order it was appended. Appends are serialized by
-- an advisory lock, so a position becomes visible only after every smaller one.
CREATE TABLE bus_events (
  position      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id      text        NOT NULL,
  name          text        NOT NULL,
  aggregate_key text        NOT NULL,
  body          text        NOT NULL,
  appended_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT bus_events_event_id_unique UNIQUE (event_id)
);
CREATE INDEX bus_events_by_name ON bus_events (name, position);

-- Where each consumer group has got to: everything up to `position` is acknowledged.
CREATE TABLE bus_consumer_groups (
  name       text PRIMARY KEY,
  position   bigint      NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE bus_consumer_groups;
DROP TABLE bus_events;
