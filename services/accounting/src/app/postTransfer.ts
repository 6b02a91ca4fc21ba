import { createEvent, TransactionAppliedV1 } from '@ates/contracts';
import type { Tx } from '@ates/platform/db';
import { appendToOutbox } from '@ates/platform/outbox';
import type { BusinessClock } from '@ates/platform/time';
import { v7 as uuidv7 } from 'uuid';
import { dayBoundaryLock, lastClosedOrClosingDay } from '../adapters/db/businessDays.ts';
import { recordTransfer, type StoredTransfer } from '../adapters/db/transfers.ts';
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
 * Posts a fee or reward once, to the open business day, and announces it. A posting
 * seen before (same idempotency key) changes nothing.
 */
export async function postTransfer(tx: Tx, clock: BusinessClock, posting: Posting): Promise<StoredTransfer | undefined> {
  // Held until commit: a day cannot start closing while this posting decides its day.
  await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [dayBoundaryLock]);
  const businessDay = openBusinessDay(clock.today(), await lastClosedOrClosingDay(tx));
  const transfer = transferFor(posting.kind, posting.employeeId, posting.amount);
  const stored = await recordTransfer(tx, {
    ...transfer,
    id: uuidv7(),
    employeeId: posting.employeeId,
    employeeChange: employeeChange(transfer),
    taskId: posting.taskId,
    businessDay,
    key: posting.idempotencyKey,
    occurredAt: posting.occurredAt,
  });
  if (!stored) return undefined;
  await appendToOutbox(tx, [
    createEvent(
      TransactionAppliedV1,
      {
        transaction_id: stored.id,
        account_id: posting.employeeId,
        kind: posting.kind,
        amount: employeeChange(transfer),
        balance_after: stored.balanceAfter,
        task_id: posting.taskId,
        business_day: businessDay,
        applied_at: stored.appliedAt.toISOString(),
      },
      { aggregateId: posting.employeeId, traceId: posting.traceId },
    ),
  ]);
  return stored;
}
