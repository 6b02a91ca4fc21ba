import { createEvent, TaskAssignedV2 } from '@ates/contracts';
import { accountDirectoryMigrations } from '@ates/platform/accounts';
import { signInWithPassword } from '@ates/platform/auth';
import {
  createPool,
  ensureDatabase,
  migrateDatabase,
  migrateServiceDatabase,
  type Pool,
  withDatabase,
  withTransaction,
} from '@ates/platform/db';
import { appendToOutbox } from '@ates/platform/outbox';
import { uuidv7 } from 'uuidv7';
import { shuffleOpenTasks } from '../services/tasks/src/app/shuffleOpenTasks.ts';
import { spawnService } from '../tools/processes/serviceProcess.ts';
import { freePort, startBenchPostgres } from './lib/benchPostgres.ts';
import { createTaskBesideFloor } from './lib/createTaskBesideFloor.ts';
import { type BenchRow, saveResults, timed } from './lib/report.ts';

const tasksMigrations = new URL('../services/tasks/migrations', import.meta.url).pathname;
const shuffleSizes = (process.env['BENCH_SHUFFLE_SIZES'] ?? '100000,1000000').split(',').map(Number);
const workers = 1_000;
const peerSeconds = Number(process.env['BENCH_PEER_SHUFFLE_SECONDS'] ?? 10);

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
    if (size === shuffleSizes[0]) rows.push(await peerStyleShuffle(pool, size / seconds));
  }
  await pool.end();
  return rows;
}

/**
 * The shuffle as public implementations write it: a loop over the open tasks, one
 * transaction each (draw a popug, update the task, write its event). Timed for a while,
 * not to the end: at a few hundred tasks a second a large shuffle would take many minutes.
 */
async function peerStyleShuffle(pool: Pool, setBasedPerSecond: number): Promise<BenchRow> {
  const { rows: open } = await pool.query<{ id: string; assign_fee: number }>(
    "SELECT id, assign_fee FROM tasks WHERE status = 'open' LIMIT 50000",
  );
  const until = performance.now() + peerSeconds * 1_000;
  const started = performance.now();
  let shuffled = 0;
  for (const task of open) {
    if (performance.now() >= until) break;
    await withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        "SELECT id FROM directory_accounts WHERE active AND role NOT IN ('admin', 'manager') ORDER BY random() LIMIT 1",
      );
      const assignee = rows[0]!.id;
      await tx.query('UPDATE tasks SET assignee_id = $2 WHERE id = $1', [task.id, assignee]);
      await appendToOutbox(tx, [
        createEvent(
          TaskAssignedV2,
          {
            task_id: task.id,
            assignment_id: uuidv7(),
            assignee_id: assignee,
            assign_fee: task.assign_fee,
            cause: 'shuffle',
            assigned_at: new Date().toISOString(),
          },
          { aggregateId: task.id },
        ),
      ]);
    });
    shuffled += 1;
  }
  return {
    benchmark: 'shuffle (tasks DB + outbox committed)',
    adapter: 'postgres',
    measure: `peer-style: one transaction per task (${shuffled.toLocaleString('en-US')} tasks in ${peerSeconds} s)`,
    value: shuffled / ((performance.now() - started) / 1_000),
    unit: 'tasks/s',
    baseline: setBasedPerSecond,
    baselineName: 'aTES set-based shuffle, same run',
  };
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
    const benchmark = 'create task over HTTP (32 connections, auth + tasks)';
    const { rows } = await createTaskBesideFloor({
      benchmark,
      adapter: 'postgres',
      tasksUrl,
      headers,
      floorDatabaseUrl: withDatabase(serverUrl, 'bench_floor'),
    });
    return [
      ...rows,
      {
        benchmark,
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
