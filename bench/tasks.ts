import { accountDirectoryMigrations } from '@ates/platform/accounts';
import { signInWithPassword } from '@ates/platform/auth';
import {
  createPool,
  ensureDatabase,
  migrateDatabase,
  migrateServiceDatabase,
  type Pool,
  withDatabase,
} from '@ates/platform/db';
import autocannon from 'autocannon';
import { shuffleOpenTasks } from '../services/tasks/src/app/shuffleOpenTasks.ts';
import { spawnService } from '../tools/processes/serviceProcess.ts';
import { freePort, startBenchPostgres } from './lib/benchPostgres.ts';
import { httpLoadRows } from './lib/httpLoadRows.ts';
import { type BenchRow, saveResults, timed } from './lib/report.ts';

const tasksMigrations = new URL('../services/tasks/migrations', import.meta.url).pathname;
const shuffleSizes = (process.env['BENCH_SHUFFLE_SIZES'] ?? '100000,1000000').split(',').map(Number);
const workers = 1_000;

async function seedOpenTasks(pool: Pool, count: number): Promise<void> {
  await pool.query('TRUNCATE tasks, ates_outbox, directory_accounts');
  await pool.query(
    `INSERT INTO directory_accounts (id, email, full_name, role, active, state_at)
     SELECT ates_uuid_v7(), 'w' || n || '@uberpopug.test', 'Worker ' || n, 'worker', true, now() FROM generate_series(1, $1) n`,
    [workers],
  );
  await pool.query(
    `WITH w AS (SELECT array_agg(id) ids FROM directory_accounts)
     INSERT INTO tasks (id, title, description, creator_id, assignee_id, assign_fee, completion_reward)
     SELECT ates_uuid_v7(), 'Task ' || n, '', w.ids[1], w.ids[1 + n % $2], 1000 + n % 1001, 2000 + n % 2001 FROM w, generate_series(1, $1) n`,
    [count, workers],
  );
  await pool.query('VACUUM ANALYZE tasks');
}

/** The fastest way to write N task-sized rows once: one server-side INSERT … SELECT into a bare table. */
async function rawWrite(pool: Pool, count: number): Promise<number> {
  await pool.query('DROP TABLE IF EXISTS raw_tasks; CREATE TABLE raw_tasks (LIKE tasks)');
  const { seconds } = await timed(() =>
    pool.query(
      `INSERT INTO raw_tasks (id, title, description, creator_id, assignee_id, status, assign_fee, completion_reward, created_at)
       SELECT gen_random_uuid(), 'Task ' || n, '', gen_random_uuid(), gen_random_uuid(), 'open', 1500, 3000, now() FROM generate_series(1, $1) n`,
      [count],
    ),
  );
  await pool.query('DROP TABLE raw_tasks');
  return seconds;
}

async function shuffleRows(serverUrl: string): Promise<BenchRow[]> {
  const url = withDatabase(serverUrl, 'bench_tasks_shuffle');
  await ensureDatabase(url);
  await migrateDatabase(url, accountDirectoryMigrations.dir, accountDirectoryMigrations.table);
  await migrateServiceDatabase(url, tasksMigrations);
  const pool = createPool(url);
  const rows: BenchRow[] = [];
  for (const size of shuffleSizes) {
    await seedOpenTasks(pool, size);
    const baseline = await rawWrite(pool, size);
    const { seconds, result } = await timed(() => shuffleOpenTasks(pool));
    if (result !== size) throw new Error(`shuffled ${result} of ${size}`);
    rows.push({
      benchmark: 'shuffle (tasks DB + outbox committed)',
      adapter: 'postgres',
      measure: `${size.toLocaleString('en-US')} open tasks`,
      value: seconds,
      unit: 's',
      baseline,
      baselineName: 'raw INSERT of as many rows',
    });
  }
  await pool.end();
  return rows;
}

async function httpRows(serverUrl: string): Promise<BenchRow[]> {
  const env: Record<string, string> = {
    DATABASE_URL: serverUrl,
    AUTH_PORT: String(await freePort()),
    TASKS_PORT: String(await freePort()),
  };
  const auth = await spawnService('auth', env);
  const tasks = await spawnService('tasks', env);
  try {
    const issuer = `http://127.0.0.1:${env['AUTH_PORT']}`;
    const admin = await signInWithPassword({ issuer, email: 'admin@uberpopug.test', password: 'popug-admin' });
    for (let n = 0; n < 20; n += 1) {
      await fetch(`${issuer}/api/accounts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `bench${n}.${Date.now()}@uberpopug.test`,
          full_name: `Bench popug ${n}`,
          role: 'worker',
          password: 'bench password',
        }),
      });
    }
    const tasksUrl = `http://127.0.0.1:${env['TASKS_PORT']}`;
    const headers = { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' };
    for (
      let tries = 0;
      (await fetch(`${tasksUrl}/api/tasks`, { method: 'POST', headers, body: '{"title":"warm-up"}' })).status !== 201;
      tries += 1
    ) {
      if (tries > 100) throw new Error('tasks never learned of the workers');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const load = (options: autocannon.Options) => autocannon({ connections: 32, duration: 10, ...options });
    const health = await load({ url: `${tasksUrl}/healthz` });
    const create = await load({
      url: `${tasksUrl}/api/tasks`,
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'Bench task', description: 'created under load' }),
    });
    if (create.non2xx > 0) throw new Error(`${create.non2xx} create requests failed`);
    return [
      ...httpLoadRows('create task over HTTP (32 connections)', 'postgres', create, health),
      {
        benchmark: 'create task over HTTP (32 connections)',
        adapter: 'postgres',
        measure: 'tasks service peak RSS',
        value: tasks.peakRssMb(),
        unit: 'MB',
        target: '< 300 MB',
      },
    ];
  } finally {
    await tasks.stop();
    await auth.stop();
  }
}

export async function benchTasks(): Promise<BenchRow[]> {
  const postgres = await startBenchPostgres();
  try {
    const rows = [...(await shuffleRows(postgres.serverUrl)), ...(await httpRows(postgres.serverUrl))];
    saveResults('tasks', rows);
    return rows;
  } finally {
    await postgres.stop();
  }
}
