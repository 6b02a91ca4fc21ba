import { createEvent, TransactionAppliedV1 } from '@ates/contracts';
import type { Tx } from '@ates/platform/db';
import { appendToOutbox } from '@ates/platform/outbox';
import type { BusinessClock } from '@ates/platform/time';
import { v7 as uuidv7 } from 'uuid';
import { dayBoundaryLock, lastClosedOrClosingDay } from '../adapters/db/businessDays.ts';
import { insertTransfers, lockEmployeeAccounts, moveBalances, postedKeys, type NewTransfer } from '../adapters/db/transfers.ts';
import { employeeChange, openBusinessDay, transferFor, type TransferKind } from '../domain/ledger.ts';

export interface Posting {
  kind: Exclude<TransferKind, 'payout'>;
  employeeId: string;
  amount: number;
  taskId: string;
  idempotencyKey: string;
  occurredAt: string;
  traceId: string;
}

/**
 * Posts fees and rewards, in order, each exactly once (a posting whose idempotency key
 * is already in the journal changes nothing), to the open business day, and announces
 * each one. Set-based: a handful of statements however many postings there are.
 */
export async function postTransfers(tx: Tx, clock: BusinessClock, postings: readonly Posting[]): Promise<NewTransfer[]> {
  if (postings.length === 0) return [];
  // Held until commit: a day cannot start closing while these postings decide their day.
  await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [dayBoundaryLock]);
  const businessDay = openBusinessDay(clock.today(), await lastClosedOrClosingDay(tx));
  const balances = await lockEmployeeAccounts(tx, postings.map((posting) => posting.employeeId));
  const seen = await postedKeys(tx, postings.map((posting) => posting.idempotencyKey));
  const changes = new Map<string, number>();
  const transfers: NewTransfer[] = [];
  const traceIds: string[] = [];
  for (const posting of postings) {
    if (seen.has(posting.idempotencyKey)) continue;
    seen.add(posting.idempotencyKey);
    const transfer = transferFor(posting.kind, posting.employeeId, posting.amount);
    const change = employeeChange(transfer);
    const balanceAfter = balances.get(posting.employeeId)! + change;
    balances.set(posting.employeeId, balanceAfter);
    for (const [account, delta] of [
      [transfer.from, -transfer.amount],
      [transfer.to, transfer.amount],
    ] as const) {
      changes.set(account, (changes.get(account) ?? 0) + delta);
    }
    traceIds.push(posting.traceId);
    transfers.push({ ...transfer, id: uuidv7(), employeeId: posting.employeeId, taskId: posting.taskId, businessDay, key: posting.idempotencyKey, occurredAt: posting.occurredAt, balanceAfter });
  }
  if (transfers.length === 0) return [];
  const appliedAt = (await insertTransfers(tx, transfers)).toISOString();
  await moveBalances(tx, changes);
  await appendToOutbox(
    tx,
    transfers.map((transfer, index) =>
      createEvent(
        TransactionAppliedV1,
        {
          transaction_id: transfer.id,
          account_id: transfer.employeeId,
          kind: transfer.kind,
          amount: employeeChange(transfer),
          balance_after: transfer.balanceAfter,
          task_id: transfer.taskId,
          business_day: businessDay,
          applied_at: appliedAt,
        },
        { aggregateId: transfer.employeeId, traceId: traceIds[index] },
      ),
    ),
  );
  return transfers;
}
