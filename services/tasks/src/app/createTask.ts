import { randomInt } from 'node:crypto';
import { createEvent, TaskAssignedV1, TaskCreatedV2 } from '@ates/contracts';
import { withTransaction, type Pool } from '@ates/platform/db';
import { appendToOutbox } from '@ates/platform/outbox';
import { v7 as uuidv7 } from 'uuid';
import { insertTask, pickRandomAssignee } from '../adapters/db/tasksTable.ts';
import { priceTask } from '../domain/pricing.ts';
import { unassignableRoles } from '../domain/roles.ts';
import { checkNewTask, TaskRuleError, type NewTaskFields, type Task } from '../domain/task.ts';

/** A task exists only with an assignee and a price: all three, and their events, in one transaction. */
export async function createTask(pool: Pool, fields: NewTaskFields, creatorId: string, traceId?: string): Promise<Task> {
  const checked = checkNewTask(fields);
  const price = priceTask(randomInt);
  return withTransaction(pool, async (tx) => {
    const assigneeId = await pickRandomAssignee(tx, unassignableRoles);
    if (!assigneeId) throw new TaskRuleError('Nobody can take a task yet: there is no active popug who is not an admin or manager', 'conflict');
    const now = new Date();
    const task: Task = { id: uuidv7(), ...checked, creatorId, assigneeId, status: 'open', ...price, createdAt: now, completedAt: null };
    await insertTask(tx, task);
    const context = { aggregateId: task.id, traceId, occurredAt: now };
    await appendToOutbox(tx, [
      createEvent(
        TaskCreatedV2,
        {
          task_id: task.id,
          title: task.title,
          jira_id: task.jiraId,
          description: task.description,
          creator_id: creatorId,
          assignee_id: assigneeId,
          assign_fee: task.assignFee,
          completion_reward: task.completionReward,
          created_at: now.toISOString(),
        },
        context,
      ),
      createEvent(
        TaskAssignedV1,
        { task_id: task.id, assignment_id: uuidv7(), assignee_id: assigneeId, assign_fee: task.assignFee, cause: 'created', assigned_at: now.toISOString() },
        context,
      ),
    ]);
    return task;
  });
}
