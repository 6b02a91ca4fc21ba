import type { Tx } from '@ates/platform/db';

/** What accounting knows of a task, for the audit log's "for which task"; the first version seen stays. */
export async function rememberTask(
  tx: Tx,
  task: { taskId: string; title: string; jiraId: string | null; description: string },
): Promise<void> {
  await tx.query(
    'INSERT INTO known_tasks (id, title, jira_id, description) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
    [task.taskId, task.title, task.jiraId, task.description],
  );
}
