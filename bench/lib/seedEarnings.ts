import type { Pool } from '@ates/platform/db';
import type { BusinessDay } from '@ates/platform/time';

/**
 * N employee accounts that each earned a reward on `day`, written as the ledger writes it:
 * a journal line per account (its posting number 1) and balances that still sum to zero,
 * the company account paying. A close of the day then has real earnings to pay out.
 */
export async function seedEarnings(pool: Pool, accounts: number, day: BusinessDay): Promise<void> {
  await pool.query(
    `WITH seeded AS (
       INSERT INTO ledger_accounts (id, kind, balance, last_sequence)
       SELECT ates_uuid_v7()::text, 'employee', 1000 + n % 5000, 1 FROM generate_series(1, $1) n
       RETURNING id, balance
     ),
     journaled AS (
       INSERT INTO ledger_transfers
         (id, kind, from_account, to_account, amount, employee_id, task_id, business_day, idempotency_key, occurred_at, balance_after, sequence)
       SELECT ates_uuid_v7(), 'reward', 'company', id, balance, id::uuid, ates_uuid_v7(), $2::date, 'reward:seed:' || id, now(), balance, 1
       FROM seeded
       RETURNING amount
     )
     UPDATE ledger_accounts SET balance = balance - (SELECT sum(amount) FROM journaled) WHERE id = 'company'`,
    [accounts, day],
  );
  await pool.query('VACUUM ANALYZE ledger_accounts, ledger_transfers');
}
