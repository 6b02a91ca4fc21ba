-- Up Migration
-- A shuffle commits its reassignments in chunks, oldest task first, so the relay and the
-- consumers start on the first while the rest are being made: one transaction over a
-- million tasks kept every event behind its commit (32 s of the 1M shuffle's 103 s, with
-- a core idle). A shuffle is a row saying which tasks it covers (those that existed when
-- it was asked for), how far it has got and when it finished. Each chunk moves the
-- cursor in the transaction that reassigns the tasks, so no task is shuffled (and
-- charged a fee) twice by one shuffle, and a shuffle a crash interrupted is finished by
-- the next instance to look (app/shuffleOpenTasks.ts).
CREATE TABLE shuffles (
  id            uuid PRIMARY KEY,
  trace_id      text        NOT NULL,
  -- The newest task when the shuffle was asked for; NULL when there was none.
  through_task  uuid,
  -- The last task the chunks have passed; NULL before the first.
  done_through  uuid,
  reassigned    integer     NOT NULL DEFAULT 0,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  progressed_at timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX shuffles_unfinished ON shuffles (requested_at) WHERE finished_at IS NULL;

-- Chunks walk the open tasks in id order; the same index still counts them.
DROP INDEX tasks_open;
CREATE INDEX tasks_open ON tasks (id) WHERE status = 'open';

-- Down Migration
DROP INDEX tasks_open;
CREATE INDEX tasks_open ON tasks (status) WHERE status = 'open';
DROP TABLE shuffles;
