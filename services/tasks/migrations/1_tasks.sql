-- Up Migration
CREATE TABLE tasks (
  id                uuid PRIMARY KEY,
  title             text        NOT NULL,
  jira_id           text,
  description       text        NOT NULL DEFAULT '',
  creator_id        uuid        NOT NULL,
  assignee_id       uuid        NOT NULL,
  status            text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  assign_fee        integer     NOT NULL CHECK (assign_fee BETWEEN 1000 AND 2000),
  completion_reward integer     NOT NULL CHECK (completion_reward BETWEEN 2000 AND 4000),
  created_at        timestamptz NOT NULL DEFAULT now(),
  completed_at      timestamptz,
  CHECK ((status = 'done') = (completed_at IS NOT NULL))
);
CREATE INDEX tasks_newest ON tasks (created_at DESC, id);
CREATE INDEX tasks_by_assignee ON tasks (assignee_id, status, created_at DESC);
CREATE INDEX tasks_open ON tasks (status) WHERE status = 'open';

-- Down Migration
DROP TABLE tasks;
