import type { Tx } from '@ates/platform/db';
import type { BusinessDay } from '@ates/platform/time';
import type { AccountBalance } from '../../domain/newestBalances.ts';

/** Every table of the read model: a rebuild empties them all. */
export const readModelTables = [
  'task_titles',
  'completed_tasks',
  'daily_top_task',
  'daily_earnings',
  'account_balances',
  'counted_transactions',
];

/** Empties the read model and forgets which events the group applied, so a replay starts clean. */
export async function emptyReadModel(tx: Tx, group: string): Promise<void> {
  await tx.query(`TRUNCATE ${readModelTables.join(', ')}`);
  await tx.query('DELETE FROM ates_inbox WHERE consumer_group = $1', [group]);
}

/** Keeps the first title each task was announced with: one statement a batch of tasks. */
export async function rememberTitles(
  tx: Tx,
  tasks: readonly { taskId: string; title: string; jiraId: string | null }[],
): Promise<void> {
  await tx.query(
    `INSERT INTO task_titles (task_id, title, jira_id)
     SELECT task_id, title, jira_id FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(task_id, title, jira_id)
     ON CONFLICT (task_id) DO NOTHING`,
    [tasks.map((task) => task.taskId), tasks.map((task) => task.title), tasks.map((task) => task.jiraId)],
  );
}

export interface Completion {
  taskId: string;
  reward: number;
  day: BusinessDay;
  completedAt: string;
}

/**
 * Records completed tasks once each and keeps each day's most expensive one; replaying
 * the same completions gives the same rows however they are batched.
 */
export async function recordCompletions(tx: Tx, completions: readonly Completion[]): Promise<void> {
  await tx.query(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::date[], $4::timestamptz[]) WITH ORDINALITY AS i(task_id, reward, day, at, n)
     ),
     fresh AS (
       INSERT INTO completed_tasks (task_id, reward, completed_day, completed_at)
       SELECT DISTINCT ON (task_id) task_id, reward, day, at FROM input ORDER BY task_id, n
       ON CONFLICT (task_id) DO NOTHING RETURNING task_id
     ),
     best AS (
       -- Per day, the highest reward of the batch; on a tie the one that came first, as event by event.
       SELECT DISTINCT ON (i.day) i.day, i.task_id, i.reward FROM input i JOIN fresh USING (task_id) ORDER BY i.day, i.reward DESC, i.n
     )
     INSERT INTO daily_top_task AS top (day, task_id, reward) SELECT day, task_id, reward FROM best
     ON CONFLICT (day) DO UPDATE SET task_id = excluded.task_id, reward = excluded.reward WHERE excluded.reward > top.reward`,
    [
      completions.map((c) => c.taskId),
      completions.map((c) => c.reward),
      completions.map((c) => c.day),
      completions.map((c) => c.completedAt),
    ],
  );
}

/** The postings among these not counted before; they are counted from now on. */
export async function countOnce(tx: Tx, transactionIds: readonly string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ transaction_id: string }>(
    'INSERT INTO counted_transactions (transaction_id) SELECT DISTINCT unnest($1::uuid[]) ON CONFLICT DO NOTHING RETURNING transaction_id',
    [[...transactionIds]],
  );
  return new Set(rows.map((row) => row.transaction_id));
}

export async function addEarnings(tx: Tx, earnedByDay: ReadonlyMap<BusinessDay, number>): Promise<void> {
  if (earnedByDay.size === 0) return;
  await tx.query(
    `INSERT INTO daily_earnings AS d (day, earned) SELECT * FROM unnest($1::date[], $2::bigint[])
     ON CONFLICT (day) DO UPDATE SET earned = d.earned + excluded.earned`,
    [[...earnedByDay.keys()], [...earnedByDay.values()]],
  );
}

/** Keeps, per account, the balance of the posting the ledger applied last. */
export async function keepNewestBalances(tx: Tx, balances: readonly AccountBalance[]): Promise<void> {
  if (balances.length === 0) return;
  await tx.query(
    `INSERT INTO account_balances AS b (account_id, balance, sequence, as_of)
     SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::timestamptz[])
     ON CONFLICT (account_id) DO UPDATE SET balance = excluded.balance, sequence = excluded.sequence, as_of = excluded.as_of
     WHERE excluded.sequence > b.sequence OR (excluded.sequence = 0 AND b.sequence = 0 AND excluded.as_of >= b.as_of)`,
    [
      balances.map((b) => b.accountId),
      balances.map((b) => b.balance),
      balances.map((b) => b.sequence),
      balances.map((b) => b.asOf),
    ],
  );
}
