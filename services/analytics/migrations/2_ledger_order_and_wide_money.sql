-- Up Migration
-- Money is 64-bit everywhere, as in the ledger: a 4-byte reward column refused events
-- accounting had accepted, and the two read models disagreed.
ALTER TABLE completed_tasks ALTER COLUMN reward TYPE bigint;
ALTER TABLE daily_top_task ALTER COLUMN reward TYPE bigint;

-- The newest balance is the one with the highest per-account posting number, not the
-- latest clock time (a transaction's clock is its start, not its commit). Balances from
-- v1 events, which carry no number, stay at 0 and order by time among themselves.
ALTER TABLE account_balances ADD COLUMN sequence bigint NOT NULL DEFAULT 0;

-- Each posting counts once, whatever event carries it: a replay with a new event id
-- passes the inbox but not this.
CREATE TABLE counted_transactions (
  transaction_id uuid PRIMARY KEY
);

-- Down Migration
DROP TABLE counted_transactions;
ALTER TABLE account_balances DROP COLUMN sequence;
ALTER TABLE daily_top_task ALTER COLUMN reward TYPE integer;
ALTER TABLE completed_tasks ALTER COLUMN reward TYPE integer;
