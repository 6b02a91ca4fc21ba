-- Up Migration
-- Every posting gets the next number of its employee account, assigned under the
-- account's row lock, so consumers order an account's postings as the ledger applied
-- them. Clock times cannot do that: now() is a transaction's start, and a transaction
-- that started first may commit last.
ALTER TABLE ledger_accounts ADD COLUMN last_sequence bigint NOT NULL DEFAULT 0;
ALTER TABLE ledger_transfers ADD COLUMN sequence bigint;

UPDATE ledger_transfers t SET sequence = n.sequence
FROM (SELECT id, row_number() OVER (PARTITION BY employee_id ORDER BY applied_at, id) AS sequence FROM ledger_transfers) n
WHERE n.id = t.id;
UPDATE ledger_accounts a SET last_sequence = s.last
FROM (SELECT employee_id::text AS id, max(sequence) AS last FROM ledger_transfers GROUP BY 1) s
WHERE s.id = a.id;

ALTER TABLE ledger_transfers ALTER COLUMN sequence SET NOT NULL;
ALTER TABLE ledger_transfers ADD CONSTRAINT ledger_transfers_sequence_per_employee UNIQUE (employee_id, sequence);

-- Down Migration
ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_sequence_per_employee;
ALTER TABLE ledger_transfers DROP COLUMN sequence;
ALTER TABLE ledger_accounts DROP COLUMN last_sequence;
