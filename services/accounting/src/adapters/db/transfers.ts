import { copyRows, prepared, type Tx } from '@ates/platform/db';
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

/**
 * Which of the keys the journal holds: one index probe per key. Asked as `= ANY(keys)`,
 * the planner scanned the whole journal once a batch brought 2,000 keys and the journal
 * was still small enough to look cheaper that way (20 ms a batch with 100k lines, growing
 * with every line, against 5 ms of probes). LIMIT 1 keeps each lookup a probe whatever
 * the statistics say.
 */
export const postedKeysStatement = `
  SELECT posted.key FROM unnest($1::text[]) AS asked(key)
  CROSS JOIN LATERAL (
    SELECT idempotency_key AS key FROM ledger_transfers WHERE idempotency_key = asked.key LIMIT 1
  ) posted`;

/** Idempotency keys already in the journal. */
export async function postedKeys(tx: Tx, keys: readonly string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ key: string }>(prepared('journal-posted-keys', postedKeysStatement, [[...keys]]));
  return new Set(rows.map((row) => row.key));
}

const journalColumns = [
  'id',
  'kind',
  'from_account',
  'to_account',
  'amount',
  'employee_id',
  'task_id',
  'business_day',
  'idempotency_key',
  'occurred_at',
  'balance_after',
  'sequence',
] as const;

/**
 * Lines at which COPY pays for its extra round trips. COPY takes three (the copy's start,
 * its data, then the transaction's time, which an INSERT returns); an INSERT reading
 * the lines from one JSON document takes one but costs the server twice as much a line
 * (about 40 against 20 µs with the journal's indexes), parsing each field as JSON and
 * then as its type. A trickle of a few postings, what latency is made of, stays one
 * round trip; a backlog's batches of thousands are copied.
 */
export const copyFromLines = 100;

/** Appends transfers to the journal; returns when they were applied (the transaction's time, every line's `applied_at`). */
export async function insertTransfers(tx: Tx, transfers: readonly NewTransfer[]): Promise<Date> {
  if (transfers.length < copyFromLines) return insertTransfersFromJson(tx, transfers);
  await copyRows(
    tx,
    'ledger_transfers',
    journalColumns,
    transfers.map((transfer) => [
      transfer.id,
      transfer.kind,
      transfer.from,
      transfer.to,
      transfer.amount,
      transfer.employeeId,
      transfer.taskId,
      transfer.businessDay,
      transfer.key,
      transfer.occurredAt,
      transfer.balanceAfter,
      transfer.sequence,
    ]),
  );
  const { rows } = await tx.query<{ applied_at: Date }>(prepared('transaction-time', 'SELECT now() AS applied_at'));
  return rows[0]!.applied_at;
}

/**
 * The lines in one statement, as one JSON document rather than a parameter array per
 * column: pg escapes array elements one by one in JavaScript.
 */
async function insertTransfersFromJson(tx: Tx, transfers: readonly NewTransfer[]): Promise<Date> {
  const { rows } = await tx.query<{ applied_at: Date }>(
    prepared(
      'journal-insert',
      `WITH written AS (
         INSERT INTO ledger_transfers (${journalColumns.join(', ')})
         SELECT id, kind, "from", "to", amount, "employeeId", "taskId", "businessDay", key, "occurredAt", "balanceAfter", sequence
         FROM json_to_recordset($1::json) AS line(id uuid, kind text, "from" text, "to" text, amount bigint, "employeeId" uuid,
                                                  "taskId" uuid, "businessDay" date, key text, "occurredAt" timestamptz,
                                                  "balanceAfter" bigint, sequence bigint)
         RETURNING applied_at
       )
       -- Every line of one statement is applied at the same moment: one row back, not one per line.
       SELECT applied_at FROM written LIMIT 1`,
      [JSON.stringify(transfers)],
    ),
  );
  return rows[0]!.applied_at;
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
