import type { Envelope } from '@ates/contracts';
import { type Pool, prepared, type Tx } from '@ates/platform/db';
import { outboxStatementParts, outboxWritten } from '@ates/platform/outbox';
import type { Task, TaskStatus } from '../../domain/task.ts';

const columns = `t.id, t.title, t.jira_id AS "jiraId", t.description, t.creator_id AS "creatorId", t.assignee_id AS "assigneeId",
  t.status, t.assign_fee AS "assignFee", t.completion_reward AS "completionReward", t.created_at AS "createdAt", t.completed_at AS "completedAt"`;

export interface ListedTask extends Task {
  assigneeName: string;
}

/**
 * Writes a new task and its events in one statement, provided its assignee may still
 * take tasks; false when the assignee was disabled or promoted in the meantime.
 */
export async function insertTaskWithEvents(
  db: Pool,
  task: Task,
  events: readonly Envelope[],
  excludedRoles: readonly string[],
): Promise<boolean> {
  const outbox = outboxStatementParts(events, 12, 'EXISTS (SELECT 1 FROM new_task)');
  const { rows } = await db.query<{ inserted: boolean }>(
    prepared(
      `insert-task-with-${events.length}-events`,
      `WITH new_task AS (
       INSERT INTO tasks (id, title, jira_id, description, creator_id, assignee_id, status, assign_fee, completion_reward, created_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
       WHERE EXISTS (SELECT 1 FROM directory_accounts WHERE id = $6 AND active AND role <> ALL($11::text[]))
       RETURNING 1
     ), ${outbox.cte}
     SELECT EXISTS (SELECT 1 FROM new_task) AS inserted`,
      [
        task.id,
        task.title,
        task.jiraId,
        task.description,
        task.creatorId,
        task.assigneeId,
        task.status,
        task.assignFee,
        task.completionReward,
        task.createdAt,
        [...excludedRoles],
        ...outbox.params,
      ],
    ),
  );
  if (rows[0]!.inserted) outboxWritten();
  return rows[0]!.inserted;
}

export async function findTaskForUpdate(tx: Tx, id: string): Promise<Task | undefined> {
  const { rows } = await tx.query<Task>(`SELECT ${columns} FROM tasks t WHERE t.id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

export async function markDone(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.query("UPDATE tasks SET status = 'done', completed_at = $2 WHERE id = $1", [id, at]);
}

export interface TaskFilter {
  status?: TaskStatus | undefined;
  search?: string | undefined;
  assigneeId?: string | undefined;
  limit: number;
  offset: number;
}

/** One page of tasks, newest first, with the assignee's name from the account directory. */
export async function listTasks(db: Pool, filter: TaskFilter): Promise<{ tasks: ListedTask[]; total: number }> {
  const search = filter.search ? `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = `($1::text IS NULL OR t.status = $1) AND ($2::text IS NULL OR t.title ILIKE $2 OR t.jira_id ILIKE $2) AND ($3::uuid IS NULL OR t.assignee_id = $3)`;
  const parameters = [filter.status ?? null, search, filter.assigneeId ?? null];
  const [page, count] = await Promise.all([
    db.query<ListedTask>(
      `SELECT ${columns}, coalesce(nullif(a.full_name, ''), 'unknown popug') AS "assigneeName"
       FROM tasks t LEFT JOIN directory_accounts a ON a.id = t.assignee_id
       WHERE ${where} ORDER BY t.created_at DESC, t.id LIMIT $4 OFFSET $5`,
      [...parameters, filter.limit, filter.offset],
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM tasks t WHERE ${where}`, parameters),
  ]);
  return { tasks: page.rows, total: count.rows[0]!.total };
}

/**
 * A random account that may be given a task, or none: each equally likely, in two index
 * lookups whatever the number of popugs (see migrations/3_assignable_popugs.sql).
 */
export async function pickRandomAssignee(db: Tx | Pool): Promise<string | undefined> {
  // The draw is an uncorrelated subquery, so random() is evaluated once, not per row.
  const { rows } = await db.query<{ id: string }>(
    prepared(
      'pick-random-assignee',
      `SELECT id FROM assignable_popugs
       WHERE slot = (SELECT 1 + floor(random() * max(slot))::int FROM assignable_popugs)`,
    ),
  );
  return rows[0]?.id;
}
