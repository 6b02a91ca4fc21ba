import {
  type EnvelopeOf,
  type EventData,
  readTaskCreated,
  TaskCompletedV1,
  TaskCompletedV2,
  TaskCreatedV1,
  TaskCreatedV2,
  TaskCreatedV3,
  TaskCreatedV4,
  TransactionAppliedV1,
  TransactionAppliedV2,
  TransactionAppliedV3,
} from '@ates/contracts';
import { accountDirectoryHandlers } from '@ates/platform/accounts';
import { type HandlerRegistration, onBatch } from '@ates/platform/inbox';
import type { BusinessClock } from '@ates/platform/time';
import {
  addEarnings,
  countOnce,
  keepNewestBalances,
  recordCompletions,
  rememberTitles,
} from '../adapters/db/readModel.ts';
import { newestBalances } from '../domain/newestBalances.ts';
import { managementShare } from '../domain/periods.ts';

type Posting = EventData<typeof TransactionAppliedV1> & { sequence?: number };
type PostingsEvent = EnvelopeOf<
  typeof TransactionAppliedV1 | typeof TransactionAppliedV2 | typeof TransactionAppliedV3
>;

/** The postings an event carries: one (v1, v2), or a batch of them (v3). */
function postingsOf(event: PostingsEvent): Posting[] {
  if (event.event_version !== 3) return [event.data];
  const { business_day, applied_at, transactions } = event.data;
  // Spelled out: a spread followed by more properties is V8's slow path (1.8 µs a posting against a few ns).
  return transactions.map((t) => ({
    transaction_id: t.transaction_id,
    account_id: t.account_id,
    sequence: t.sequence,
    kind: t.kind,
    amount: t.amount,
    balance_after: t.balance_after,
    task_id: t.task_id,
    business_day,
    applied_at,
  }));
}

/**
 * Each event folds into the daily rows, a run of them at a time; replaying the same events
 * gives the same rows however they are batched, and a posting counts once whatever event
 * carries it.
 */
export function analyticsHandlers(clock: BusinessClock): HandlerRegistration[] {
  return [
    ...accountDirectoryHandlers(),
    ...onBatch([TaskCreatedV1, TaskCreatedV2, TaskCreatedV3, TaskCreatedV4] as const, (events, tx) =>
      rememberTitles(tx, events.map(readTaskCreated)),
    ),
    ...onBatch([TaskCompletedV1, TaskCompletedV2] as const, async (events, tx) => {
      await recordCompletions(
        tx,
        events.map(({ data }) => ({
          taskId: data.task_id,
          reward: data.completion_reward,
          day: clock.dayOf(new Date(data.completed_at)),
          completedAt: data.completed_at,
        })),
      );
    }),
    ...onBatch([TransactionAppliedV1, TransactionAppliedV2, TransactionAppliedV3] as const, async (events, tx) => {
      const postings = events.flatMap(postingsOf);
      const fresh = await countOnce(
        tx,
        postings.map((posting) => posting.transaction_id),
      );
      const earnedByDay = new Map<string, number>();
      for (const posting of postings) {
        if (!fresh.delete(posting.transaction_id)) continue;
        const earned = managementShare(posting.kind, posting.amount);
        if (earned !== 0) earnedByDay.set(posting.business_day, (earnedByDay.get(posting.business_day) ?? 0) + earned);
      }
      await addEarnings(tx, earnedByDay);
      await keepNewestBalances(
        tx,
        newestBalances(
          postings.map((posting) => ({
            accountId: posting.account_id,
            balance: posting.balance_after,
            sequence: posting.sequence ?? 0,
            asOf: posting.applied_at,
          })),
        ),
      );
    }),
  ];
}
