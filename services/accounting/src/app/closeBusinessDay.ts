import { randomUUID } from 'node:crypto';
import { decodeEnvelope } from '@ates/contracts';
import { type Pool, withTransaction } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import { wakeOutboxRelay } from '@ates/platform/outbox';
import type { BusinessClock, BusinessDay } from '@ates/platform/time';
import {
  dayState,
  dayTotals,
  firstPostedDay,
  holdDayBoundary,
  lastPayoutEvents,
  markClosed,
  markClosing,
  refreshAccountStatistics,
} from '../adapters/db/businessDays.ts';
import { payOutBatch } from '../adapters/db/payOutBatch.ts';
import { checkpoint } from './checkpoints.ts';

export interface ClosedDay {
  day: BusinessDay;
  alreadyClosed: boolean;
  payouts: number;
  paidOut: number;
}

/**
 * Ends a business day: every account is paid what it earned up to the end of the day
 * and was not paid yet, when that is positive (a payout line, an email on its way);
 * negative balances carry over. Days may be closed in any order, at the same time, and
 * again after a crash half-way: each (account, day) is paid at most once, and never
 * what a close of another day already paid.
 */
export async function closeBusinessDay(
  pool: Pool,
  clock: BusinessClock,
  day: BusinessDay,
  options: { batchSize?: number; traceId?: string; onProgress?: (paidSoFar: number) => void } = {},
): Promise<ClosedDay> {
  if (day > clock.today())
    throw new RuleBroken('conflict', `${day} has not begun yet: only today or earlier days can be closed`);
  const traceId = options.traceId ?? randomUUID();
  const state = await withTransaction(pool, async (tx) => {
    // Waits for postings that are deciding their day; later ones see the day is closing.
    await holdDayBoundary(tx, 'exclusive');
    const current = await dayState(tx, day);
    if (current) return current;
    const first = await firstPostedDay(tx);
    if (first === null)
      throw new RuleBroken('conflict', `nothing has been posted to the ledger yet, so there is no day to close`);
    if (day < first)
      throw new RuleBroken(
        'conflict',
        `${day} is before the ledger's first posting (${first}): there is nothing to close`,
      );
    await markClosing(tx, day);
    return 'closing';
  });
  if (state === 'closed') return { day, alreadyClosed: true, ...(await dayTotals(pool, day)) };
  await checkpoint('close.opened', day);

  await refreshAccountStatistics(pool);
  let cursor: string | null = '';
  let paidSoFar = 0;
  while (cursor !== null) {
    const after: string = cursor;
    const batch = await withTransaction(pool, async (tx) => {
      // Postings hold this lock shared while they lock employee rows in event order;
      // taking it exclusively here keeps the batch's id-ordered row locks from deadlocking with them.
      await holdDayBoundary(tx, 'exclusive');
      await checkpoint('close.batch.locked', day);
      const result = await payOutBatch(tx, {
        day,
        after,
        size: options.batchSize ?? 1_000,
        at: clock.now(),
        traceId,
      });
      if (result.payouts > 0) {
        for (const body of await lastPayoutEvents(tx)) {
          const sample = decodeEnvelope(body);
          if (!sample.ok) throw new Error(`closing ${day} built an invalid event: ${sample.reason}`);
        }
        wakeOutboxRelay(tx);
      }
      await checkpoint('close.batch.paid', day);
      return result;
    });
    await checkpoint('close.batch.committed', day);
    cursor = batch.cursor;
    paidSoFar += batch.payouts;
    options.onProgress?.(paidSoFar);
  }
  await checkpoint('close.finishing', day);
  const totals = await dayTotals(pool, day);
  await markClosed(pool, day, totals);
  return { day, alreadyClosed: false, ...totals };
}
