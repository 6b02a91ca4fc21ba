import { randomInt } from 'node:crypto';
import { createEvent, type Envelope, TaskCreatedV4, uuidv7 } from '@ates/contracts';
import type { Pool } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import { batchWhileBusy } from '@ates/platform/runtime';
import { insertTasksForRandomAssignees, type TaskToWrite } from '../adapters/db/tasksTable.ts';
import { priceTask } from '../domain/pricing.ts';
import { unassignableRoles } from '../domain/roles.ts';
import { checkNewTask, type NewTaskFields, type Task } from '../domain/task.ts';

const maxDraws = 5;

export type CreateTask = (fields: NewTaskFields, creatorId: string, traceId?: string) => Promise<Task>;

/**
 * A task exists only with an assignee and a price. The assignee is drawn, and the task
 * and its event written, in one statement (atomic), which also checks that the popug
 * drawn may take tasks; should the directory disagree, it draws again. Tasks created at
 * the same moment share that statement (group commit: see batchWhileBusy), each still
 * with its own draw, price and answer.
 */
export function taskCreator(pool: Pool): CreateTask {
  const write = batchWhileBusy((writes: TaskToWrite[]) =>
    insertTasksForRandomAssignees(pool, writes, unassignableRoles),
  );
  return async (fields, creatorId, traceId) => {
    const checked = checkNewTask(fields);
    const price = priceTask(randomInt);
    for (let draw = 1; draw <= maxDraws; draw += 1) {
      const now = new Date();
      const task: Task = {
        id: uuidv7(),
        ...checked,
        creatorId,
        // Stands for the popug the statement draws, which replaces it in the task and its events.
        assigneeId: uuidv7(),
        status: 'open',
        ...price,
        createdAt: now,
        completedAt: null,
      };
      const written = await write({ task, events: newTaskEvents(task, traceId) });
      if (written.assigneeId !== null) return { ...task, assigneeId: written.assigneeId };
      if (!written.anyone)
        throw new RuleBroken(
          'conflict',
          'Nobody can take a task yet: there is no active popug who is not an admin or manager',
        );
    }
    throw new RuleBroken('conflict', 'The popugs who could take this task keep changing; please try again');
  };
}

/**
 * A new task is one event: task.created v4 is also its first assignment. Published as
 * task.created and task.assigned, the one fact cost the bus twice over (two events
 * written, relayed, stored, delivered to each group and acknowledged) and, on NATS,
 * held task creation under half its floor; see decision 0008.
 */
export function newTaskEvents(task: Task, traceId: string | undefined): Envelope[] {
  return [
    createEvent(
      TaskCreatedV4,
      {
        task_id: task.id,
        title: task.title,
        jira_id: task.jiraId,
        description: task.description,
        creator_id: task.creatorId,
        assignee_id: task.assigneeId,
        assign_fee: task.assignFee,
        completion_reward: task.completionReward,
        created_at: task.createdAt.toISOString(),
        assignment_id: uuidv7(),
      },
      { aggregateId: task.id, traceId, occurredAt: task.createdAt },
    ),
  ];
}
