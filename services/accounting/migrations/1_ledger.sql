-- Up Migration
-- Every ledger account: one per employee, plus the company (top management) and the
-- payouts account (money that has left aTES to employees' banks). The sum of all
-- balances is always zero because every transfer moves an amount from one to another.
CREATE TABLE ledger_accounts (
  id      text PRIMARY KEY,
  kind    text   NOT NULL CHECK (kind IN ('employee', 'company', 'payouts')),
  balance bigint NOT NULL DEFAULT 0
);
INSERT INTO ledger_accounts (id, kind) VALUES ('company', 'company'), ('payouts', 'payouts');

-- The journal: append-only. `idempotency_key` makes each business fact post once:
-- fee:<assignment>, reward:<task>, payout:<account>:<day>.
CREATE TABLE ledger_transfers (
  id              uuid PRIMARY KEY,
  kind            text        NOT NULL CHECK (kind IN ('fee', 'reward', 'payout')),
  from_account    text        NOT NULL REFERENCES ledger_accounts (id),
  to_account      text        NOT NULL REFERENCES ledger_accounts (id),
  amount          bigint      NOT NULL CHECK (amount > 0),
  employee_id     uuid        NOT NULL,
  task_id         uuid,
  business_day    date        NOT NULL,
  idempotency_key text        NOT NULL UNIQUE,
  occurred_at     timestamptz NOT NULL,
  applied_at      timestamptz NOT NULL DEFAULT now(),
  balance_after   bigint      NOT NULL,
  CHECK (from_account <> to_account)
);
CREATE INDEX ledger_transfers_by_employee_day ON ledger_transfers (employee_id, business_day, applied_at);
CREATE INDEX ledger_transfers_by_day ON ledger_transfers (business_day, kind);

-- What accounting knows of tasks, for the audit log ("for which task").
CREATE TABLE known_tasks (
  id          uuid PRIMARY KEY,
  title       text NOT NULL,
  jira_id     text,
  description text NOT NULL DEFAULT ''
);

-- Business days. Postings go to the open day; closing a day pays out positive balances.
CREATE TABLE business_days (
  day              date PRIMARY KEY,
  state            text        NOT NULL CHECK (state IN ('closing', 'closed')),
  closing_started  timestamptz NOT NULL DEFAULT now(),
  closed_at        timestamptz,
  payouts          integer,
  paid_out         bigint
);

-- Down Migration
DROP TABLE business_days;
DROP TABLE known_tasks;
DROP TABLE ledger_transfers;
DROP TABLE ledger_accounts;
