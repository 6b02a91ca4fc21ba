-- Up Migration
-- The company's money in shards, one per bus partition (companyAccountFor): writers on
-- different partitions lock different company rows. The historic `company` account is
-- shard 0, so no journal line changes; the company's balance is the sum over its kind.
INSERT INTO ledger_accounts (id, kind)
SELECT 'company:' || shard, 'company' FROM generate_series(1, 7) AS shard
ON CONFLICT (id) DO NOTHING;

-- Down Migration
-- Shards the journal already names stay: history is not rewritten.
ALTER TABLE ledger_accounts DISABLE TRIGGER ledger_accounts_kept_on_delete;
DELETE FROM ledger_accounts a
WHERE a.kind = 'company' AND a.id <> 'company'
  AND NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.from_account = a.id OR t.to_account = a.id);
ALTER TABLE ledger_accounts ENABLE TRIGGER ledger_accounts_kept_on_delete;
