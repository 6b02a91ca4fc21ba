import { partitionCount, partitionOf } from '@ates/platform/partitions';
import { addDays, type BusinessDay, daysBetween } from '@ates/platform/time';

export type TransferKind = 'fee' | 'reward' | 'payout';

/** The system accounts every employee transfer has on its other side. */
export const companyAccount = 'company';
export const payoutsAccount = 'payouts';

/**
 * The company's money is kept in shards, one per bus partition, so that ledger members
 * working on different partitions never queue on one company row. Money events are
 * partitioned by the employee, so an employee's fees and rewards go to the shard of the
 * employee's partition; the company's balance is the sum of the shards.
 */
export const companyShards = partitionCount;

export function companyAccountFor(employeeId: string): string {
  const shard = partitionOf(employeeId, companyShards);
  // Shard 0 keeps the name the single company account had, so no journal line changes.
  return shard === 0 ? companyAccount : `${companyAccount}:${shard}`;
}

export interface Transfer {
  kind: TransferKind;
  from: string;
  to: string;
  /** Always positive: direction is from → to. */
  amount: number;
}

/**
 * The double entry of each business fact. A fee moves money from the employee to the
 * company, a reward from the company to the employee, a payout from the employee out
 * to the payouts account.
 */
export function transferFor(kind: TransferKind, employeeId: string, amount: number): Transfer {
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new RangeError(`a ${kind} must be a positive whole number of cents, got ${amount}`);
  const company = companyAccountFor(employeeId);
  switch (kind) {
    case 'fee':
      return { kind, from: employeeId, to: company, amount };
    case 'reward':
      return { kind, from: company, to: employeeId, amount };
    case 'payout':
      return { kind, from: employeeId, to: payoutsAccount, amount };
  }
}

/** How the employee's balance moves with a transfer: only a reward adds to it. */
export function employeeChange(transfer: Transfer): number {
  return transfer.kind === 'reward' ? transfer.amount : -transfer.amount;
}

/**
 * The day a posting belongs to: today's calendar day, unless today was already closed
 * early, in which case the next open one. Closed days never change.
 */
export function openBusinessDay(today: BusinessDay, lastClosedOrClosing: BusinessDay | null): BusinessDay {
  if (lastClosedOrClosing === null || lastClosedOrClosing < today) return today;
  return addDays(lastClosedOrClosing, 1);
}

export const idempotencyKey = {
  fee: (assignmentId: string) => `fee:${assignmentId}`,
  reward: (taskId: string) => `reward:${taskId}`,
  payout: (employeeId: string, day: BusinessDay) => `payout:${employeeId}:${day}`,
};

/**
 * The days the automatic closer owes a close: any left half-closed by a crash, then every
 * day that has ended since the last closed one, but none before the ledger's first posting
 * (a day closed by hand long ago must not make it walk every day since).
 */
export function daysToClose(
  ledger: { closing: readonly BusinessDay[]; lastClosed: BusinessDay | null; firstPosted: BusinessDay | null },
  today: BusinessDay,
): BusinessDay[] {
  const { closing, lastClosed, firstPosted } = ledger;
  if (firstPosted === null) return [...closing].sort();
  const afterLastClosed = lastClosed === null ? firstPosted : addDays(lastClosed, 1);
  // Days as YYYY-MM-DD compare as text.
  const start = [afterLastClosed, firstPosted].sort().at(-1)!;
  return [...new Set([...closing, ...daysBetween(start, addDays(today, -1))])].sort();
}
