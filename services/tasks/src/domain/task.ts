import { RuleBroken } from '@ates/platform/errors';
export type TaskStatus = 'open' | 'done';

export interface Task {
  id: string;
  title: string;
  jiraId: string | null;
  description: string;
  creatorId: string;
  assigneeId: string;
  status: TaskStatus;
  assignFee: number;
  completionReward: number;
  createdAt: Date;
  completedAt: Date | null;
}

export interface NewTaskFields {
  title: string;
  jiraId?: string | null | undefined;
  description?: string | undefined;
}

const jiraIdPattern = /^[A-Z][A-Z0-9]*-[0-9]+$/;

/** Cleans and checks what a person typed for a new task; throws the first broken rule in words. */
export function checkNewTask(fields: NewTaskFields): { title: string; jiraId: string | null; description: string } {
  const title = fields.title.trim();
  const jiraId = fields.jiraId?.trim().toUpperCase() || null;
  const description = (fields.description ?? '').trim();
  if (title.length === 0) throw new RuleBroken('invalid', 'The title must not be empty');
  if (title.length > 200) throw new RuleBroken('invalid', 'The title must have at most 200 characters');
  if (/[[\]]/.test(title))
    throw new RuleBroken(
      'invalid',
      'The title must not contain [ or ]: put the jira id (e.g. UBERPOP-42) in its own field',
    );
  if (jiraId !== null && (!jiraIdPattern.test(jiraId) || jiraId.length > 64)) {
    throw new RuleBroken('invalid', `"${fields.jiraId}" is not a jira id: it looks like UBERPOP-42`);
  }
  if (description.length > 10_000)
    throw new RuleBroken('invalid', 'The description must have at most 10 000 characters');
  return { title, jiraId, description };
}

/** Done is final, and only the assignee can say it. */
export function checkCompletion(task: Pick<Task, 'status' | 'assigneeId'>, by: string): void {
  if (task.assigneeId !== by) throw new RuleBroken('forbidden', 'Only the assignee can mark this task done');
  if (task.status === 'done') throw new RuleBroken('conflict', 'This task is already done');
}
