import { readTaskCreated, TaskCompletedV1, TaskCreatedV1, TaskCreatedV2, TransactionAppliedV1 } from '@ates/contracts';
import type { Tx } from '@ates/platform/db';
import { on, onBatch, type HandlerRegistration } from '@ates/platform/inbox';
import type { BusinessClock } from '@ates/platform/time';
import { managementShare } from '../domain/periods.ts';

async function rememberTitle(tx: Tx, task: { taskId: string; title: string; jiraId: string | null }): Promise<void> {
  await tx.query('INSERT INTO task_titles (task_id, title, jira_id) VALUES ($1, $2, $3) ON CONFLICT (task_id) DO NOTHING', [task.taskId, task.title, task.jiraId]);
}

/**
 * Each event folds into the daily rows, a run of them at a time; replaying the same events
 * gives the same rows however they are batched.
 */
export function analyticsHandlers(clock: BusinessClock): HandlerRegistration[] {
  return [
    on(TaskCreatedV1, (event, tx) => rememberTitle(tx, readTaskCreated(event))),
    on(TaskCreatedV2, (event, tx) => rememberTitle(tx, readTaskCreated(event))),
    ...onBatch([TaskCompletedV1] as const, async (events, tx) => {
      await tx.query(
        `WITH input AS (
           SELECT * FROM unnest($1::uuid[], $2::int[], $3::date[], $4::timestamptz[]) WITH ORDINALITY AS i(task_id, reward, day, at, n)
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
          events.map((event) => event.data.task_id),
          events.map((event) => event.data.completion_reward),
          events.map((event) => clock.dayOf(new Date(event.data.completed_at))),
          events.map((event) => event.data.completed_at),
        ],
      );
    }),
    ...onBatch([TransactionAppliedV1] as const, async (events, tx) => {
      const earnedByDay = new Map<string, number>();
      const newestByAccount = new Map<string, { balance: number; asOf: string }>();
      for (const { data } of events) {
        const earned = managementShare(data.kind, data.amount);
        if (earned !== 0) earnedByDay.set(data.business_day, (earnedByDay.get(data.business_day) ?? 0) + earned);
        const known = newestByAccount.get(data.account_id);
        if (!known || Date.parse(data.applied_at) >= Date.parse(known.asOf)) newestByAccount.set(data.account_id, { balance: data.balance_after, asOf: data.applied_at });
      }
      if (earnedByDay.size > 0) {
        await tx.query(
          `INSERT INTO daily_earnings AS d (day, earned) SELECT * FROM unnest($1::date[], $2::bigint[])
           ON CONFLICT (day) DO UPDATE SET earned = d.earned + excluded.earned`,
          [[...earnedByDay.keys()], [...earnedByDay.values()]],
        );
      }
      await tx.query(
        `INSERT INTO account_balances AS b (account_id, balance, as_of) SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[])
         ON CONFLICT (account_id) DO UPDATE SET balance = excluded.balance, as_of = excluded.as_of WHERE excluded.as_of >= b.as_of`,
        [[...newestByAccount.keys()], [...newestByAccount.values()].map((v) => v.balance), [...newestByAccount.values()].map((v) => v.asOf)],
      );
    }),
  ];
}
