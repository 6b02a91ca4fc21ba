import type { Tx } from '@ates/platform/db';
import type { TransferKind } from '../../domain/ledger.ts';

export interface NewTransfer {
  id: string;
  kind: TransferKind;
  from: string;
  to: string;
  amount: number;
  employeeId: string;
  taskId: string | null;
  businessDay: string;
  key: string;
  occurredAt: string;
  balanceAfter: number;
  /** The employee account's next posting number. */
  sequence: number;
}

export interface LockedAccount {
  balance: number;
  lastSequence: number;
}

/**
 * Makes sure the employees have ledger accounts and locks them with the company shards
 * the postings name, all in id order, so that two writers locking overlapping sets never
 * wait on each other in a circle. Returns the employees' balances and the numbers of
 * their last postings.
 */
export async function lockAccounts(
  tx: Tx,
  employeeIds: readonly string[],
  companyIds: readonly string[],
): Promise<Map<string, LockedAccount>> {
  const employees = [...new Set(employeeIds)];
  await tx.query(
    "INSERT INTO ledger_accounts (id, kind) SELECT unnest($1::text[]), 'employee' ON CONFLICT (id) DO NOTHING",
    [employees.sort()],
  );
  const { rows } = await tx.query<{ id: string; kind: string; balance: number; last_sequence: number }>(
    'SELECT id, kind, balance, last_sequence FROM ledger_accounts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
    [[...employees, ...new Set(companyIds)]],
  );
  return new Map(
    rows
      .filter((row) => row.kind === 'employee')
      .map((row) => [row.id, { balance: row.balance, lastSequence: row.last_sequence }]),
  );
}

/** Idempotency keys already in the journal. */
export async function postedKeys(tx: Tx, keys: readonly string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ key: string }>(
    'SELECT idempotency_key AS key FROM ledger_transfers WHERE idempotency_key = ANY($1::text[])',
    [[...keys]],
  );
  return new Set(rows.map((row) => row.key));
}

/** Appends transfers to the journal in one statement; returns when they were applied. */
export async function insertTransfers(tx: Tx, transfers: readonly NewTransfer[]): Promise<Date> {
  const column = <K extends keyof NewTransfer>(name: K) => transfers.map((transfer) => transfer[name]);
  const { rows } = await tx.query<{ applied_at: Date }>(
    `INSERT INTO ledger_transfers
       (id, kind, from_account, to_account, amount, employee_id, task_id, business_day, idempotency_key, occurred_at, balance_after, sequence)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::uuid[], $7::uuid[], $8::date[], $9::text[],
                          $10::timestamptz[], $11::bigint[], $12::bigint[])
     RETURNING applied_at`,
    [
      column('id'),
      column('kind'),
      column('from'),
      column('to'),
      column('amount'),
      column('employeeId'),
      column('taskId'),
      column('businessDay'),
      column('key'),
      column('occurredAt'),
      column('balanceAfter'),
      column('sequence'),
    ],
  );
  return rows[0]?.applied_at ?? new Date();
}

/**
 * Moves balances by the given amounts, every account in one statement, and records
 * each employee account's last posting number.
 */
export async function moveBalances(
  tx: Tx,
  changes: ReadonlyMap<string, number>,
  lastSequences: ReadonlyMap<string, number>,
): Promise<void> {
  const ids = [...changes.keys()];
  await tx.query(
    `UPDATE ledger_accounts a SET balance = a.balance + c.change, last_sequence = coalesce(c.last_sequence, a.last_sequence)
     FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS c(id, change, last_sequence) WHERE a.id = c.id`,
    [ids, [...changes.values()], ids.map((id) => lastSequences.get(id) ?? null)],
  );
}
