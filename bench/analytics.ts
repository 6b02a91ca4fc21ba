import { createEvent, TaskCompletedV1 } from '@ates/contracts';
import { PostgresLogBus } from '@ates/platform/bus';
import { withDatabase } from '@ates/platform/db';
import { EventConsumer } from '@ates/platform/inbox';
import { addDays, BusinessClock } from '@ates/platform/time';
import { uuidv7 } from 'uuidv7';
import { bestOf, topTasksByDay } from '../services/analytics/src/adapters/db/figures.ts';
import { analyticsHandlers } from '../services/analytics/src/app/eventHandlers.ts';
import { startBenchPostgres } from './lib/benchPostgres.ts';
import { type BenchRow, saveResults, timed } from './lib/report.ts';
import { rawInsertSeconds, serviceDatabase } from './lib/serviceDatabase.ts';

const ingested = Number(process.env['BENCH_ANALYTICS_EVENTS'] ?? 200_000);
const history = 1_000_000;
const firstDay = '2025-11-26';
const lastDay = addDays(firstDay, 364);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchAnalytics(): Promise<BenchRow[]> {
  const postgres = await startBenchPostgres();
  try {
    const { pool } = await serviceDatabase(postgres.serverUrl, 'bench_analytics', 'analytics', false);
    const bus = await PostgresLogBus.connect(withDatabase(postgres.serverUrl, 'bench_analytics_bus'));
    const start = Date.parse(`${firstDay}T12:00:00Z`);
    for (let offset = 0; offset < ingested; offset += 5_000) {
      await bus.publish(
        Array.from({ length: Math.min(5_000, ingested - offset) }, (_, index) => {
          const taskId = uuidv7();
          const at = new Date(start + ((offset + index) % 365) * 86_400_000).toISOString();
          const event = createEvent(
            TaskCompletedV1,
            {
              task_id: taskId,
              assignee_id: taskId,
              completion_reward: 2_000 + (((offset + index) * 7919) % 2_001),
              completed_at: at,
            },
            { aggregateId: taskId },
          );
          return { id: event.event_id, name: event.event_name, key: taskId, body: JSON.stringify(event) };
        }),
      );
    }
    const rawSeconds = await rawInsertSeconds(pool, ingested);
    const ingest = await timed(async () => {
      const consumer = await EventConsumer.start({
        bus,
        pool,
        group: 'analytics',
        handlers: analyticsHandlers(new BusinessClock('UTC')),
        maxBatch: 1_000,
      });
      while ((await bus.lag('analytics')) > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      await consumer.stop();
    });
    await bus.close();

    // The rest of a year's history, written straight into the read model the way the consumer folds it.
    await pool.query(
      `INSERT INTO completed_tasks (task_id, reward, completed_day, completed_at)
       SELECT gen_random_uuid(), 2000 + (n::bigint * 7919) % 2001, $2::date + (n % 365), now() FROM generate_series(1, $1) n`,
      [history - ingested, firstDay],
    );
    await pool.query(
      `INSERT INTO daily_top_task AS top (day, task_id, reward)
       SELECT DISTINCT ON (completed_day) completed_day, task_id, reward FROM completed_tasks ORDER BY completed_day, reward DESC
       ON CONFLICT (day) DO UPDATE SET task_id = excluded.task_id, reward = excluded.reward WHERE excluded.reward > top.reward`,
    );
    await pool.query('VACUUM ANALYZE completed_tasks');
    await pool.query('VACUUM ANALYZE daily_top_task');

    const latencies: number[] = [];
    for (let run = 0; run < 300; run += 1) {
      const { seconds, result } = await timed(async () => bestOf(await topTasksByDay(pool, firstDay, lastDay)));
      if (!result) throw new Error('no answer for the year');
      latencies.push(seconds * 1_000);
    }
    latencies.sort((a, b) => a - b);
    const scans: number[] = [];
    for (let run = 0; run < 5; run += 1) {
      const { seconds } = await timed(() =>
        pool.query(
          'SELECT DISTINCT ON (completed_day) completed_day, task_id, reward FROM completed_tasks WHERE completed_day BETWEEN $1 AND $2 ORDER BY completed_day, reward DESC',
          [firstDay, lastDay],
        ),
      );
      scans.push(seconds * 1_000);
    }
    scans.sort((a, b) => a - b);
    await pool.end();
    const rows: BenchRow[] = [
      {
        benchmark: `analytics ingest (${ingested.toLocaleString('en-US')} task.completed)`,
        adapter: 'postgres',
        measure: 'events ingested',
        value: ingested / ingest.seconds,
        unit: 'events/s',
        baseline: ingested / rawSeconds,
        baselineName: 'raw INSERT of as many rows',
      },
      {
        benchmark: '365-day most expensive task over 1M completed',
        adapter: 'postgres',
        measure: 'query p50',
        value: percentile(latencies, 50),
        unit: 'ms',
        baseline: percentile(scans, 50),
        baselineName: 'scan of every completed task',
      },
      {
        benchmark: '365-day most expensive task over 1M completed',
        adapter: 'postgres',
        measure: 'query p99',
        value: percentile(latencies, 99),
        unit: 'ms',
        baseline: scans.at(-1)!,
        baselineName: 'slowest scan',
      },
    ];
    saveResults('analytics', rows, { ingested, history });
    return rows;
  } finally {
    await postgres.stop();
  }
}
