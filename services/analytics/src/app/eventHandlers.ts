import { readTaskCreated, TaskCompletedV1, TaskCreatedV1, TaskCreatedV2, TransactionAppliedV1 } from '@ates/contracts';
import type { Tx } from '@ates/platform/db';
import { on, type HandlerRegistration } from '@ates/platform/inbox';
import type { BusinessClock } from '@ates/platform/time';
import { managementShare } from '../domain/periods.ts';

async function rememberTitle(tx: Tx, task: { taskId: string; title: string; jiraId: string | null }): Promise<void> {
  await tx.query('INSERT INTO task_titles (task_id, title, jira_id) VALUES ($1, $2, $3) ON CONFLICT (task_id) DO NOTHING', [task.taskId, task.title, task.jiraId]);
}

/** Each event folds into the daily rows; replaying the same events in the same order gives the same rows. */
export function analyticsHandlers(clock: BusinessClock): HandlerRegistration[] {
  return [
    on(TaskCreatedV1, (event, tx) => rememberTitle(tx, readTaskCreated(event))),
    on(TaskCreatedV2, (event, tx) => rememberTitle(tx, readTaskCreated(event))),
    on(TaskCompletedV1, async (event, tx) => {
      const day = clock.dayOf(new Date(event.data.completed_at));
      const { rowCount } = await tx.query(
        'INSERT INTO completed_tasks (task_id, reward, completed_day, completed_at) VALUES ($1, $2, $3, $4) ON CONFLICT (task_id) DO NOTHING',
        [event.data.task_id, event.data.completion_reward, day, event.data.completed_at],
      );
      if (!rowCount) return;
      await tx.query(
        `INSERT INTO daily_top_task AS top (day, task_id, reward) VALUES ($1, $2, $3)
         ON CONFLICT (day) DO UPDATE SET task_id = excluded.task_id, reward = excluded.reward WHERE excluded.reward > top.reward`,
        [day, event.data.task_id, event.data.completion_reward],
      );
    }),
    on(TransactionAppliedV1, async (event, tx) => {
      const { data } = event;
      const earned = managementShare(data.kind, data.amount);
      if (earned !== 0) {
        await tx.query(
          'INSERT INTO daily_earnings AS d (day, earned) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET earned = d.earned + excluded.earned',
          [data.business_day, earned],
        );
      }
      await tx.query(
        `INSERT INTO account_balances AS b (account_id, balance, as_of) VALUES ($1, $2, $3)
         ON CONFLICT (account_id) DO UPDATE SET balance = excluded.balance, as_of = excluded.as_of WHERE excluded.as_of >= b.as_of`,
        [data.account_id, data.balance_after, data.applied_at],
      );
    }),
  ];
}
