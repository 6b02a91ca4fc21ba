import { createEvent, TaskCompletedV2 } from '@ates/contracts';
import { type Pool, withTransaction } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import { appendToOutbox } from '@ates/platform/outbox';
import { findTaskForUpdate, markDone } from '../adapters/db/tasksTable.ts';
import { checkCompletion, type Task } from '../domain/task.ts';

export async function completeTask(pool: Pool, taskId: string, by: string, traceId?: string): Promise<Task> {
  return withTransaction(pool, async (tx) => {
    const task = await findTaskForUpdate(tx, taskId);
    if (!task) throw new RuleBroken('not_found', `There is no task ${taskId}`);
    checkCompletion(task, by);
    const now = new Date();
    await markDone(tx, task.id, now);
    await appendToOutbox(tx, [
      createEvent(
        TaskCompletedV2,
        {
          task_id: task.id,
          assignee_id: task.assigneeId,
          completion_reward: task.completionReward,
          completed_at: now.toISOString(),
        },
        { aggregateId: task.id, traceId, occurredAt: now },
      ),
    ]);
    return { ...task, status: 'done', completedAt: now };
  });
}
