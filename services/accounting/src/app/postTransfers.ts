import { createEvent, maxTransactionsPerEvent, TransactionAppliedV3, uuidv7 } from '@ates/contracts';
import type { Tx } from '@ates/platform/db';
import { appendToOutbox } from '@ates/platform/outbox';
import type { BusinessClock } from '@ates/platform/time';
import { holdDayBoundary, lastClosedOrClosingDay } from '../adapters/db/businessDays.ts';
import { insertTransfers, lockAccounts, moveBalances, type NewTransfer, postedKeys } from '../adapters/db/transfers.ts';
import {
  companyAccountFor,
  employeeChange,
  openBusinessDay,
  type TransferKind,
  transferFor,
} from '../domain/ledger.ts';
import { checkpoint } from './checkpoints.ts';

export interface Posting {
  kind: Exclude<TransferKind, 'payout'>;
  employeeId: string;
  amount: number;
  taskId: string;
  idempotencyKey: string;
  occurredAt: string;
  traceId: string;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

/**
 * Posts fees and rewards, in order, each exactly once (a posting whose idempotency key
 * is already in the journal changes nothing), to the open business day, and announces
 * them: an event per up to 250 postings, not one per posting. Set-based: a handful of
 * statements however many postings there are.
 */

export async function postTransfers(
  tx: Tx,
  clock: BusinessClock,
  postings: readonly Posting[],
): Promise<NewTransfer[]> {
  if (postings.length === 0) return [];
  await checkpoint('post.begun');
  // Held until commit: a day cannot start closing while these postings decide their day.
  await holdDayBoundary(tx, 'shared');
  const businessDay = openBusinessDay(clock.today(), await lastClosedOrClosingDay(tx));
  const accounts = await lockAccounts(
    tx,
    postings.map((posting) => posting.employeeId),
    postings.map((posting) => companyAccountFor(posting.employeeId)),
  );
  await checkpoint('post.locked');
  const seen = await postedKeys(
    tx,
    postings.map((posting) => posting.idempotencyKey),
  );
  const changes = new Map<string, number>();
  const lastSequences = new Map<string, number>();
  const transfers: NewTransfer[] = [];
  const traceIds: string[] = [];
  for (const posting of postings) {
    if (seen.has(posting.idempotencyKey)) continue;
    seen.add(posting.idempotencyKey);
    const transfer = transferFor(posting.kind, posting.employeeId, posting.amount);
    const account = accounts.get(posting.employeeId)!;
    account.balance += employeeChange(transfer);
    account.lastSequence += 1;
    lastSequences.set(posting.employeeId, account.lastSequence);
    for (const [id, delta] of [
      [transfer.from, -transfer.amount],
      [transfer.to, transfer.amount],
    ] as const) {
      changes.set(id, (changes.get(id) ?? 0) + delta);
    }
    traceIds.push(posting.traceId);
    // Spelled out: V8 builds `{ ...transfer, id, … }` the slow way, 6.9 µs a line against
    // 0.04 µs for the literal (Node 20), which was a sixth of the ledger's CPU.
    transfers.push({
      kind: transfer.kind,
      from: transfer.from,
      to: transfer.to,
      amount: transfer.amount,
      id: uuidv7(),
      employeeId: posting.employeeId,
      taskId: posting.taskId,
      businessDay,
      key: posting.idempotencyKey,
      occurredAt: posting.occurredAt,
      balanceAfter: account.balance,
      sequence: account.lastSequence,
    });
  }
  if (transfers.length === 0) return [];
  const appliedAt = (await insertTransfers(tx, transfers)).toISOString();
  await checkpoint('post.journaled');
  await moveBalances(tx, changes, lastSequences);
  await appendToOutbox(
    tx,
    chunks(transfers, maxTransactionsPerEvent).map((chunk, index) =>
      createEvent(
        TransactionAppliedV3,
        {
          business_day: businessDay,
          applied_at: appliedAt,
          transactions: chunk.map((transfer) => ({
            transaction_id: transfer.id,
            account_id: transfer.employeeId,
            sequence: transfer.sequence,
            kind: transfer.kind,
            amount: employeeChange(transfer),
            balance_after: transfer.balanceAfter,
            task_id: transfer.taskId,
          })),
        },
        // One trace per event: the first posting's carries the batch (the others' traces end at the ledger).
        { aggregateId: chunk[0]!.id, traceId: traceIds[index * maxTransactionsPerEvent] },
      ),
    ),
  );
  await checkpoint('post.announced');
  return transfers;
}
