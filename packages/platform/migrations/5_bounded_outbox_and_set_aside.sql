-- Up Migration
-- The outbox holds what the bus will take: no body over 512 KiB (maxEventBytes), so an
-- event the bus would refuse is refused at commit, with the change it describes.
ALTER TABLE ates_outbox ADD CONSTRAINT ates_outbox_body_size CHECK (octet_length(body) <= 524288) NOT VALID;

-- Events an operator asked a consumer group to put aside (`ates set-aside`): when the
-- group is stuck at one, it becomes a dead letter with its reason and the group goes on.
CREATE TABLE ates_set_aside (
  consumer_group text        NOT NULL,
  bus_position   bigint      NOT NULL,
  requested_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, bus_position)
);

-- Down Migration
DROP TABLE ates_set_aside;
ALTER TABLE ates_outbox DROP CONSTRAINT ates_outbox_body_size;
