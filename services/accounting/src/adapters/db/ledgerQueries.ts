import type { Pool } from '@ates/platform/db';
import { type BusinessDay, daysBetween } from '@ates/platform/time';
import type { TransferKind } from '../../domain/ledger.ts';

export interface AuditLine {
  id: string;
  kind: TransferKind;
  /** Change of the employee's balance: negative for fees and payouts. */
  amount: number;
  balanceAfter: number;
  appliedAt: Date;
  taskId: string | null;
  taskTitle: string | null;
  jiraId: string | null;
  taskDescription: string | null;
}

export async function balanceOf(pool: Pool, employeeId: string): Promise<number> {
  const { rows } = await pool.query<{ balance: number }>('SELECT balance FROM ledger_accounts WHERE id = $1', [
    employeeId,
  ]);
  return rows[0]?.balance ?? 0;
}

/** One employee's lines of one business day: what, how much, for which task, the balance after. */
export async function auditLog(pool: Pool, employeeId: string, day: BusinessDay): Promise<AuditLine[]> {
  const { rows } = await pool.query<AuditLine>(
    `SELECT t.id, t.kind, CASE WHEN t.to_account = t.employee_id::text THEN t.amount ELSE -t.amount END AS amount,
            t.balance_after AS "balanceAfter", t.applied_at AS "appliedAt", t.task_id AS "taskId",
            k.title AS "taskTitle", k.jira_id AS "jiraId", k.description AS "taskDescription"
     FROM ledger_transfers t LEFT JOIN known_tasks k ON k.id = t.task_id
     WHERE t.employee_id = $1 AND t.business_day = $2
     ORDER BY t.sequence`,
    [employeeId, day],
  );
  return rows;
}

/** What top management earned each day of the range: fees taken less rewards paid. */
export async function managementEarnings(
  pool: Pool,
  from: BusinessDay,
  to: BusinessDay,
): Promise<{ day: BusinessDay; earned: number }[]> {
  const { rows } = await pool.query<{ day: string; earned: number }>(
    `SELECT to_char(business_day, 'YYYY-MM-DD') AS day, sum(CASE kind WHEN 'fee' THEN amount ELSE -amount END)::bigint AS earned
     FROM ledger_transfers WHERE kind IN ('fee', 'reward') AND business_day BETWEEN $1 AND $2 GROUP BY business_day`,
    [from, to],
  );
  const byDay = new Map(rows.map((row) => [row.day, row.earned]));
  return daysBetween(from, to).map((day) => ({ day, earned: byDay.get(day) ?? 0 }));
}

export interface AccountBalance {
  id: string;
  name: string;
  email: string;
  role: string;
  balance: number;
}

/** Every employee the ledger or the directory knows, with the current balance. */
export async function listBalances(
  pool: Pool,
  options: { limit: number; offset: number; search?: string },
): Promise<{ accounts: AccountBalance[]; total: number }> {
  const search = options.search ? `%${options.search.toLowerCase()}%` : null;
  const source = `FROM directory_accounts d FULL JOIN (SELECT id, balance FROM ledger_accounts WHERE kind = 'employee') l ON l.id = d.id::text
                  WHERE ($1::text IS NULL OR lower(d.full_name) LIKE $1 OR lower(d.email) LIKE $1)`;
  const [page, count] = await Promise.all([
    pool.query<AccountBalance>(
      `SELECT coalesce(d.id::text, l.id) AS id, coalesce(nullif(d.full_name, ''), 'unknown popug') AS name, coalesce(d.email, '') AS email,
              coalesce(d.role, '') AS role, coalesce(l.balance, 0) AS balance
       ${source} ORDER BY coalesce(l.balance, 0), 2 LIMIT $2 OFFSET $3`,
      [search, options.limit, options.offset],
    ),
    pool.query<{ total: number }>(`SELECT count(*)::int AS total ${source}`, [search]),
  ]);
  return { accounts: page.rows, total: count.rows[0]!.total };
}

export async function closedDays(
  pool: Pool,
  limit: number,
): Promise<{ day: string; state: string; payouts: number | null; paidOut: number | null; closedAt: Date | null }[]> {
  const { rows } = await pool.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, state, payouts, paid_out AS "paidOut", closed_at AS "closedAt"
     FROM business_days ORDER BY day DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

/** The invariant the whole ledger stands on; exposed for checks and tests. */
export async function sumOfAllBalances(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ total: number }>(
    'SELECT coalesce(sum(balance), 0)::bigint AS total FROM ledger_accounts',
  );
  return rows[0]!.total;
}
