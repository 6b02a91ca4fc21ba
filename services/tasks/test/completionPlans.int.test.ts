import { accountDirectoryMigrations } from '@ates/platform/accounts';
import { migrateDatabase, migrateServiceDatabase } from '@ates/platform/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../tools/test/databases.ts';
import { markDoneStatement } from '../src/adapters/db/tasksTable.ts';

let client: pg.Client;
beforeAll(async () => {
  const url = await freshDatabase('completion_plans');
  await migrateDatabase(url, accountDirectoryMigrations.dir, accountDirectoryMigrations.table);
  await migrateServiceDatabase(url, new URL('../migrations', import.meta.url).pathname);
  client = new pg.Client({ connectionString: url });
  await client.connect();
  // Statistics taken when ten tasks were open, then 20,000 more created before the next
  // ANALYZE: what a board filling fast looks like to the planner.
  const insertOpen = (count: number) =>
    client.query(
      `INSERT INTO tasks (id, title, description, creator_id, assignee_id, assign_fee, completion_reward)
       SELECT gen_random_uuid(), 'Task ' || n, '', gen_random_uuid(), gen_random_uuid(), 1500, 2500
       FROM generate_series(1, $1::int) n`,
      [count],
    );
  await client.query('ALTER TABLE tasks SET (autovacuum_enabled = false)');
  await insertOpen(10);
  await client.query('ANALYZE tasks');
  await insertOpen(20_000);
});
afterAll(() => client.end());

describe('completing tasks', () => {
  it('finds the tasks to mark done by key, never by reading every open task', async () => {
    const { rows: tasks } = await client.query<{ id: string; assignee_id: string }>(
      'SELECT id, assignee_id FROM tasks LIMIT 3',
    );
    const completions = tasks.map((task, n) => ({ n, id: task.id, by: task.assignee_id, completed_at: new Date() }));
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${markDoneStatement}`, [
      JSON.stringify(completions),
      tasks.map((task) => task.id),
      '[]',
    ]);
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Cond: \(id = ANY/);
    expect(plan).not.toMatch(/Recheck Cond: \(status = 'open'::text\)|Seq Scan on tasks/);
  });
});
