-- Up Migration
-- A read model made only from events; `rebuild` empties it and replays the bus.

CREATE TABLE task_titles (
  task_id uuid PRIMARY KEY,
  title   text NOT NULL,
  jira_id text
);

-- One row per completed task: the reward and the business day it was completed on.
CREATE TABLE completed_tasks (
  task_id        uuid PRIMARY KEY,
  reward         integer NOT NULL,
  completed_day  date    NOT NULL,
  completed_at   timestamptz NOT NULL
);

-- Pre-aggregated per day, so a year answers from 365 rows, not from every event.
CREATE TABLE daily_top_task (
  day     date PRIMARY KEY,
  task_id uuid    NOT NULL,
  reward  integer NOT NULL
);

CREATE TABLE daily_earnings (
  day    date PRIMARY KEY,
  earned bigint NOT NULL
);

-- The newest balance of each account, from accounting's postings.
CREATE TABLE account_balances (
  account_id uuid PRIMARY KEY,
  balance    bigint      NOT NULL,
  as_of      timestamptz NOT NULL
);
CREATE INDEX account_balances_negative ON account_balances (account_id) WHERE balance < 0;

-- Down Migration
DROP TABLE account_balances;
DROP TABLE daily_earnings;
DROP TABLE daily_top_task;
DROP TABLE completed_tasks;
DROP TABLE task_titles;
