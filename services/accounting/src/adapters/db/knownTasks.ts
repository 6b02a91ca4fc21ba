import type { Tx } from '@ates/platform/db';

/**
 * What accounting knows of tasks, for the audit log's "for which task": all of them in
 * one statement. The first version seen stays, also between two versions of one task in
 * the same call (rows are inserted in the order given).
 */
export async function rememberTasks(
  tx: Tx,
  tasks: readonly { taskId: string; title: string; jiraId: string | null; description: string }[],
): Promise<void> {
  if (tasks.length === 0) return;
  await tx.query(
    `INSERT INTO known_tasks (id, title, jira_id, description)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) ON CONFLICT (id) DO NOTHING`,
    [
      tasks.map((task) => task.taskId),
      tasks.map((task) => task.title),
      tasks.map((task) => task.jiraId),
      tasks.map((task) => task.description),
    ],
  );
}
