-- Up Migration
-- Events written in the same transaction as the state change they describe;
-- the relay publishes them to the bus in id order and then deletes them.
CREATE TABLE ates_outbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id     text        NOT NULL,
  event_name   text        NOT NULL,
  aggregate_id text        NOT NULL,
  body         text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Events a consumer group has applied, recorded in the same transaction as their
-- effect: a redelivered event finds itself here and changes nothing.
CREATE TABLE ates_inbox (
  consumer_group text        NOT NULL,
  event_id       text        NOT NULL,
  processed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, event_id)
);

-- Events a consumer could not apply, with the reason, until someone re-drives them.
CREATE TABLE ates_dead_letters (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer_group       text        NOT NULL,
  event_id             text,
  event_name           text,
  bus_position         bigint,
  body                 text        NOT NULL,
  reason               text        NOT NULL,
  attempts             integer     NOT NULL DEFAULT 1,
  failed_at            timestamptz NOT NULL DEFAULT now(),
  redrive_requested_at timestamptz,
  redriven_at          timestamptz
);
CREATE INDEX ates_dead_letters_open ON ates_dead_letters (consumer_group, id) WHERE redriven_at IS NULL;
-- A redelivered bad event is put aside once.
CREATE UNIQUE INDEX ates_dead_letters_once ON ates_dead_letters (consumer_group, bus_position) WHERE bus_position IS NOT NULL;

-- Down Migration
DROP TABLE ates_dead_letters;
DROP TABLE ates_inbox;
DROP TABLE ates_outbox;
