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
 * Writes a new task and its events in one statement, drawing its assignee in the same
 * statement: a random account that may be given a task, each equally likely, in two
 * index lookups whatever the number of popugs (see migrations/3_assignable_popugs.sql).
 * The task and its events name a placeholder as the assignee (`task.assigneeId`, a fresh
 * random id); the statement puts the popug drawn in its place. Returns who was drawn, or
 * whether anybody may take a task at all.
 */
export async function insertTaskForRandomAssignee(
  db: Tx | Pool,
  task: Task,
  events: readonly Envelope[],
  excludedRoles: readonly string[],
): Promise<{ assigneeId: string } | { assigneeId: null; anyone: boolean }> {
  // The events are JSON text, where the placeholder (a fresh random id) stands for
  // nothing else: a title cannot contain it by chance, nor on purpose.
  const outbox = outboxStatementParts(
    events,
    12,
    'EXISTS (SELECT 1 FROM new_task)',
    (column) => `replace(${column}, $6::text, (SELECT assignee_id::text FROM new_task))`,
  );
  const { rows } = await db.query<{ assignee_id: string | null; anyone: boolean }>(
    prepared(
      `insert-task-for-random-assignee-with-${events.length}-events`,
      // The draw is an uncorrelated subquery, so random() is evaluated once, not per row.
      `WITH drawn AS (
       SELECT id FROM assignable_popugs
       WHERE slot = (SELECT 1 + floor(random() * max(slot))::int FROM assignable_popugs)
     ), new_task AS (
       INSERT INTO tasks (id, title, jira_id, description, creator_id, assignee_id, status, assign_fee, completion_reward, created_at)
       SELECT $1, $2, $3, $4, $5, drawn.id, $7, $8, $9, $10 FROM drawn
       WHERE EXISTS (SELECT 1 FROM directory_accounts WHERE id = drawn.id AND active AND role <> ALL($11::text[]))
       RETURNING assignee_id
     ), ${outbox.cte}
     SELECT (SELECT assignee_id::text FROM new_task) AS assignee_id, EXISTS (SELECT 1 FROM drawn) AS anyone`,
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
  const { assignee_id: assigneeId, anyone } = rows[0]!;
  if (assigneeId === null) return { assigneeId, anyone };
  outboxWritten();
  return { assigneeId };
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
