import type { Tx } from '@ates/platform/db';
import type { Transfer } from '../../domain/ledger.ts';

export interface StoredTransfer {
  id: string;
  employeeId: string;
  taskId: string | null;
  businessDay: string;
  balanceAfter: number;
  appliedAt: Date;
}

/**
 * Records a transfer and moves both balances, unless a transfer with the same
 * idempotency key exists: then nothing changes and undefined comes back.
 */
export async function recordTransfer(
  tx: Tx,
  transfer: Transfer & { id: string; employeeId: string; employeeChange: number; taskId: string | null; businessDay: string; key: string; occurredAt: string },
): Promise<StoredTransfer | undefined> {
  await tx.query("INSERT INTO ledger_accounts (id, kind) VALUES ($1, 'employee') ON CONFLICT (id) DO NOTHING", [transfer.employeeId]);
  const { rows: locked } = await tx.query<{ balance: number }>('SELECT balance FROM ledger_accounts WHERE id = $1 FOR UPDATE', [transfer.employeeId]);
  const balanceAfter = locked[0]!.balance + transfer.employeeChange;
  const { rows } = await tx.query<StoredTransfer>(
    `INSERT INTO ledger_transfers (id, kind, from_account, to_account, amount, employee_id, task_id, business_day, idempotency_key, occurred_at, balance_after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id, employee_id AS "employeeId", task_id AS "taskId", to_char(business_day, 'YYYY-MM-DD') AS "businessDay",
               balance_after AS "balanceAfter", applied_at AS "appliedAt"`,
    [transfer.id, transfer.kind, transfer.from, transfer.to, transfer.amount, transfer.employeeId, transfer.taskId, transfer.businessDay, transfer.key, transfer.occurredAt, balanceAfter],
  );
  if (rows.length === 0) return undefined;
  await tx.query(
    `UPDATE ledger_accounts SET balance = balance + CASE WHEN id = $1 THEN -$3::bigint ELSE $3::bigint END WHERE id IN ($1, $2)`,
    [transfer.from, transfer.to, transfer.amount],
  );
  return rows[0];
}
