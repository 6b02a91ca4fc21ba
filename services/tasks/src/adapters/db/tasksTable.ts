import type { Envelope } from '@ates/contracts';
import { type Pool, prepared, type Tx } from '@ates/platform/db';
import { outboxStatementParts, outboxWritten } from '@ates/platform/outbox';
import type { Task, TaskStatus } from '../../domain/task.ts';

const columns = `t.id, t.title, t.jira_id AS "jiraId", t.description, t.creator_id AS "creatorId", t.assignee_id AS "assigneeId",
  t.status, t.assign_fee AS "assignFee", t.completion_reward AS "completionReward", t.created_at AS "createdAt", t.completed_at AS "completedAt"`;

export interface ListedTask extends Task {
  assigneeName: string;
}

/** A new task and its events, naming a placeholder as the assignee until one is drawn. */
export interface TaskToWrite {
  task: Task;
  events: readonly Envelope[];
}

/** Who was drawn for a task, or whether anybody may take a task at all. */
export type AssigneeDrawn = { assigneeId: string } | { assigneeId: null; anyone: boolean };

/**
 * Writes new tasks and their events in one statement, drawing each one's assignee in the
 * same statement: a random account that may be given a task, each equally likely, in two
 * index lookups whatever the number of popugs (see migrations/3_assignable_popugs.sql).
 * A task and its events name a placeholder as the assignee (`task.assigneeId`, a fresh
 * random id); the statement puts the popug drawn in its place. A task whose popug the
 * directory no longer lets take tasks is not written. Answers each task, in order.
 */
export async function insertTasksForRandomAssignees(
  db: Tx | Pool,
  writes: readonly TaskToWrite[],
  excludedRoles: readonly string[],
): Promise<AssigneeDrawn[]> {
  // The events are JSON text, where a placeholder (a fresh random id) stands for nothing
  // else: a title cannot contain it by chance, nor on purpose.
  const outbox = outboxStatementParts(
    writes.flatMap((write) => write.events),
    3,
    {
      join: 'JOIN new_tasks t ON t.id::text = e.aggregate_id JOIN drawn d ON d.id = t.id',
      rewrite: (column) => `replace(${column}, d.placeholder, t.assignee_id::text)`,
    },
  );
  const tasks = writes.map(({ task }, n) => ({
    n,
    id: task.id,
    title: task.title,
    jira_id: task.jiraId,
    description: task.description,
    creator_id: task.creatorId,
    placeholder: task.assigneeId,
    status: task.status,
    assign_fee: task.assignFee,
    completion_reward: task.completionReward,
    created_at: task.createdAt,
  }));
  const { rows } = await db.query<{ assignee_id: string | null; anyone: boolean }>(
    prepared(
      'insert-tasks-for-random-assignees',
      // random() is in the target list of a subquery over the tasks: once per task. The
      // lookups are LATERAL … LIMIT 1 so that they stay index lookups: joined, the planner
      // guesses 100 tasks a statement and hashes every popug instead.
      `WITH drawn AS (
       SELECT i.*, a.id AS assignee_id, a.may_take
       FROM (SELECT input.*, 1 + floor(random() * (SELECT max(slot) FROM assignable_popugs))::int AS slot
             FROM json_to_recordset($1::json) AS input(n int, id uuid, title text, jira_id text, description text,
               creator_id uuid, placeholder text, status text, assign_fee bigint, completion_reward bigint, created_at timestamptz)) i
       LEFT JOIN LATERAL (
         SELECT a.id, EXISTS (SELECT 1 FROM directory_accounts WHERE id = a.id AND active AND role <> ALL($2::text[])) AS may_take
         FROM assignable_popugs a WHERE a.slot = i.slot LIMIT 1
       ) a ON true
     ), new_tasks AS (
       INSERT INTO tasks (id, title, jira_id, description, creator_id, assignee_id, status, assign_fee, completion_reward, created_at)
       SELECT id, title, jira_id, description, creator_id, assignee_id, status, assign_fee, completion_reward, created_at FROM drawn
       WHERE may_take
       ORDER BY n
       RETURNING id, assignee_id
     ), ${outbox.cte}
     SELECT t.assignee_id::text AS assignee_id, d.assignee_id IS NOT NULL AS anyone
     FROM drawn d LEFT JOIN new_tasks t USING (id) ORDER BY d.n`,
      [JSON.stringify(tasks), [...excludedRoles], ...outbox.params],
    ),
  );
  if (rows.some((row) => row.assignee_id !== null)) outboxWritten();
  return rows.map(({ assignee_id: assigneeId, anyone }) =>
    assigneeId === null ? { assigneeId, anyone } : { assigneeId },
  );
}

/** The tasks with these ids, in the order asked: undefined where there is none. */
export async function findTasks(db: Tx | Pool, ids: readonly string[]): Promise<(Task | undefined)[]> {
  const { rows } = await db.query<Task>(
    prepared('find-tasks', `SELECT ${columns} FROM tasks t WHERE t.id = ANY($1::uuid[])`, [ids]),
  );
  // PostgreSQL spells a uuid in lower case, whatever case it was asked in.
  const byId = new Map(rows.map((task) => [task.id, task]));
  return ids.map((id) => byId.get(id.toLowerCase()));
}

/** A task to mark done, by the popug it was assigned to when read, with its events. */
export interface CompletionToWrite {
  taskId: string;
  by: string;
  completedAt: Date;
  events: readonly Envelope[];
}

/** How the events of a completion join the task marked done: by task. */
const completionEvents = { join: 'JOIN done ON done.id::text = e.aggregate_id' };

/**
 * The statement of `markDoneIfUnchanged` ($1 the completions, $2 their task ids, then
 * the events). The ids come as an array as well, so the tasks are found by key whatever
 * the statistics say: joined to the completions alone, on a table whose statistics were
 * taken when few tasks were open the planner hashed every open task for each statement
 * (6–9 ms with 12,000 open, 0.66 ms a completion, the most expensive thing tasks did).
 */
export const markDoneStatement = `WITH done AS (
       UPDATE tasks t SET status = 'done', completed_at = i.completed_at
       FROM json_to_recordset($1::json) AS i(n int, id uuid, by uuid, completed_at timestamptz)
       WHERE t.id = ANY ($2::uuid[]) AND t.id = i.id AND t.status = 'open' AND t.assignee_id = i.by
       RETURNING t.id, i.n
     ), ${outboxStatementParts([], 3, completionEvents).cte}
     SELECT n FROM done`;

/**
 * Marks tasks done and writes their events in one statement, each only if the task is
 * still open and still assigned to whoever completes it: what the caller read may have
 * changed since. Answers, in order, whether each was. Of two completions of one task in
 * the same statement only the first can be.
 */
export async function markDoneIfUnchanged(db: Tx | Pool, writes: readonly CompletionToWrite[]): Promise<boolean[]> {
  // The first completion of each task goes to the statement, whose events join by task.
  const firstOfTask = new Map<string, number>();
  for (const [n, write] of writes.entries()) if (!firstOfTask.has(write.taskId)) firstOfTask.set(write.taskId, n);
  const tried = [...firstOfTask.values()];
  const outbox = outboxStatementParts(
    tried.flatMap((n) => writes[n]!.events),
    3,
    completionEvents,
  );
  const { rows } = await db.query<{ n: number }>(
    prepared('mark-done-if-unchanged', markDoneStatement, [
      JSON.stringify(
        tried.map((n) => ({
          n,
          id: writes[n]!.taskId,
          by: writes[n]!.by,
          completed_at: writes[n]!.completedAt,
        })),
      ),
      [...firstOfTask.keys()],
      ...outbox.params,
    ]),
  );
  if (rows.length > 0) outboxWritten();
  const done = new Set(rows.map((row) => row.n));
  return writes.map((_, n) => done.has(n));
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
