import { randomUUID } from 'node:crypto';
import { decodeEnvelope } from '@ates/contracts';
import { withTransaction, type Pool } from '@ates/platform/db';
import { outboxChannel } from '@ates/platform/outbox';
import type { BusinessClock, BusinessDay } from '@ates/platform/time';
import { dayBoundaryLock, dayState } from '../adapters/db/businessDays.ts';
import { payOutBatch } from '../adapters/db/payOutBatch.ts';

export class DayRuleError extends Error {
  override readonly name = 'DayRuleError';
}

export interface ClosedDay {
  day: BusinessDay;
  alreadyClosed: boolean;
  payouts: number;
  paidOut: number;
}

/**
 * Ends a business day: every account's positive balance at the end of the day is paid
 * out (balance back to 0, a payout line, an email on its way); negative balances carry
 * over. Safe to run twice and to run again after a crash half-way.
 */
export async function closeBusinessDay(
  pool: Pool,
  clock: BusinessClock,
  day: BusinessDay,
  options: { batchSize?: number; traceId?: string; onProgress?: (paidSoFar: number) => void } = {},
): Promise<ClosedDay> {
  if (day > clock.today()) throw new DayRuleError(`${day} has not begun yet: only today or earlier days can be closed`);
  const traceId = options.traceId ?? randomUUID();
  const state = await withTransaction(pool, async (tx) => {
    // Waits for postings that are deciding their day; later ones see the day is closing.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [dayBoundaryLock]);
    const { rows } = await tx.query<{ later: string | null }>("SELECT to_char(max(day), 'YYYY-MM-DD') AS later FROM business_days WHERE day > $1", [day]);
    if (rows[0]?.later) throw new DayRuleError(`${rows[0].later} is already closed; ${day} cannot be closed after it`);
    const current = await dayState(tx, day);
    if (!current) await tx.query("INSERT INTO business_days (day, state) VALUES ($1, 'closing')", [day]);
    return current ?? 'closing';
  });
  if (state === 'closed') return { day, alreadyClosed: true, ...(await dayTotals(pool, day)) };

  // The batches walk the accounts in id order; on statistics older than a day's new popugs
  // PostgreSQL sorts the whole table for every batch instead (2.4× slower at 100k accounts).
  await pool.query('ANALYZE ledger_accounts');

  let cursor: string | null = '';
  let paidSoFar = 0;
  while (cursor !== null) {
    const after: string = cursor;
    const batch = await withTransaction(pool, async (tx) => {
      // Postings hold this lock shared while they lock employee rows in event order;
      // taking it exclusively here keeps the batch's id-ordered row locks from deadlocking with them.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [dayBoundaryLock]);
      const result = await payOutBatch(tx, { day, after, size: options.batchSize ?? 1_000, at: clock.now(), traceId });
      if (result.payouts > 0) {
        const { rows } = await tx.query<{ body: string }>("SELECT body FROM ates_outbox WHERE event_name = 'accounting.payout_made' ORDER BY id DESC LIMIT 1");
        const sample = decodeEnvelope(rows[0]!.body);
        if (!sample.ok) throw new Error(`closing ${day} built an invalid event: ${sample.reason}`);
        await tx.query(`SELECT pg_notify('${outboxChannel}', '')`);
      }
      return result;
    });
    cursor = batch.cursor;
    paidSoFar += batch.payouts;
    options.onProgress?.(paidSoFar);
  }
  const totals = await dayTotals(pool, day);
  await pool.query("UPDATE business_days SET state = 'closed', closed_at = now(), payouts = $2, paid_out = $3 WHERE day = $1", [day, totals.payouts, totals.paidOut]);
  return { day, alreadyClosed: false, ...totals };
}

async function dayTotals(pool: Pool, day: BusinessDay): Promise<{ payouts: number; paidOut: number }> {
  const { rows } = await pool.query<{ payouts: number; paid_out: number }>(
    "SELECT count(*)::int AS payouts, coalesce(sum(amount), 0)::bigint AS paid_out FROM ledger_transfers WHERE kind = 'payout' AND business_day = $1",
    [day],
  );
  return { payouts: rows[0]!.payouts, paidOut: rows[0]!.paid_out };
}
