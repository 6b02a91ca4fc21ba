import { lockKeys, type Pool, type Tx } from '@ates/platform/db';
import type { BusinessDay } from '@ates/platform/time';

/** Postings hold the day boundary shared while they pick their day; starting a close, and each of its batches, hold it exclusively. */
export async function holdDayBoundary(tx: Tx, mode: 'shared' | 'exclusive'): Promise<void> {
  await tx.query(mode === 'shared' ? 'SELECT pg_advisory_xact_lock_shared($1)' : 'SELECT pg_advisory_xact_lock($1)', [
    lockKeys.dayBoundary,
  ]);
}

export async function lastClosedOrClosingDay(db: Pool | Tx): Promise<BusinessDay | null> {
  const { rows } = await db.query<{ day: string | null }>(
    "SELECT to_char(max(day), 'YYYY-MM-DD') AS day FROM business_days",
  );
  return rows[0]?.day ?? null;
}

export async function dayState(tx: Tx, day: BusinessDay): Promise<'closing' | 'closed' | undefined> {
  const { rows } = await tx.query<{ state: 'closing' | 'closed' }>('SELECT state FROM business_days WHERE day = $1', [
    day,
  ]);
  return rows[0]?.state;
}

/**
 * The earliest business day in the journal: each employee's earliest, from the index by
 * employee and day (the day index is a BRIN, which cannot answer a minimum).
 */
const firstPostedDaySql = `
  SELECT min(first.day) FROM ledger_accounts a
  CROSS JOIN LATERAL (
    SELECT t.business_day AS day FROM ledger_transfers t WHERE t.employee_id = a.id::uuid ORDER BY t.business_day LIMIT 1
  ) AS first
  WHERE a.kind = 'employee'`;

/** The business day of the ledger's first posting; null while nothing was posted. */
export async function firstPostedDay(db: Pool | Tx): Promise<BusinessDay | null> {
  const { rows } = await db.query<{ day: string | null }>(
    `SELECT to_char((${firstPostedDaySql}), 'YYYY-MM-DD') AS day`,
  );
  return rows[0]?.day ?? null;
}

export async function markClosing(tx: Tx, day: BusinessDay): Promise<void> {
  await tx.query("INSERT INTO business_days (day, state) VALUES ($1, 'closing')", [day]);
}

export async function markClosed(pool: Pool, day: BusinessDay, totals: DayTotals): Promise<void> {
  await pool.query(
    "UPDATE business_days SET state = 'closed', closed_at = now(), payouts = $2, paid_out = $3 WHERE day = $1",
    [day, totals.payouts, totals.paidOut],
  );
}

export interface DayTotals {
  payouts: number;
  paidOut: number;
}

export async function dayTotals(pool: Pool, day: BusinessDay): Promise<DayTotals> {
  const { rows } = await pool.query<{ payouts: number; paid_out: number }>(
    "SELECT count(*)::int AS payouts, coalesce(sum(amount), 0)::bigint AS paid_out FROM ledger_transfers WHERE kind = 'payout' AND business_day = $1",
    [day],
  );
  return { payouts: rows[0]!.payouts, paidOut: rows[0]!.paid_out };
}

/**
 * The batches walk the accounts in id order; on statistics older than a day's new popugs
 * PostgreSQL sorts the whole table for every batch instead (2.4× slower at 100k accounts).
 */
export async function refreshAccountStatistics(pool: Pool): Promise<void> {
  await pool.query('ANALYZE ledger_accounts');
}

/** The newest event of each kind a payout batch writes, to check what the SQL built against the registry. */
export async function lastPayoutEvents(tx: Tx): Promise<string[]> {
  const { rows } = await tx.query<{ body: string }>(
    `(SELECT body FROM ates_outbox WHERE event_name = 'accounting.payout_made' ORDER BY id DESC LIMIT 1)
     UNION ALL
     (SELECT body FROM ates_outbox WHERE event_name = 'accounting.transaction_applied' ORDER BY id DESC LIMIT 1)`,
  );
  return rows.map((row) => row.body);
}

/** What the automatic closer needs to know of the days: see `daysToClose`. */
export async function closingProgress(
  pool: Pool,
): Promise<{ closing: BusinessDay[]; lastClosed: BusinessDay | null; firstPosted: BusinessDay | null }> {
  const { rows } = await pool.query<{
    closing: string[] | null;
    last_closed: string | null;
    first_posted: string | null;
  }>(
    `SELECT (SELECT array_agg(to_char(day, 'YYYY-MM-DD') ORDER BY day) FROM business_days WHERE state = 'closing') AS closing,
            (SELECT to_char(max(day), 'YYYY-MM-DD') FROM business_days WHERE state = 'closed') AS last_closed,
            to_char((${firstPostedDaySql}), 'YYYY-MM-DD') AS first_posted`,
  );
  const row = rows[0]!;
  return { closing: row.closing ?? [], lastClosed: row.last_closed, firstPosted: row.first_posted };
}
