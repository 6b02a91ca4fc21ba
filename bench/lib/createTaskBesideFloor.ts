import autocannon from 'autocannon';
import { startFloorRoute } from './floorRoute.ts';
import { httpLoadRows } from './httpLoadRows.ts';
import type { BenchRow } from './report.ts';

/** Each route gets this much of the same load first, unmeasured: the figures are of code the JIT has compiled. */
const warmUpSeconds = 3;

/**
 * Create-task requests at 32 connections for 10 s, and the same load on the floor route
 * (floor/floorServer.ts, its tables in `floorDatabaseUrl` on the same server) just before:
 * the rows with issue 19's targets, and how many tasks were created. Each route is warmed
 * up first; `afterWarmUp` runs between the create route's warm-up and its measured load,
 * to let what the warm-up set going settle.
 */
export async function createTaskBesideFloor(options: {
  benchmark: string;
  adapter: string;
  tasksUrl: string;
  headers: Record<string, string>;
  floorDatabaseUrl: string;
  afterWarmUp?: () => Promise<void>;
}): Promise<{ rows: BenchRow[]; created: number }> {
  const { headers } = options;
  const body = JSON.stringify({ title: 'Bench task', description: 'created under load' });
  const load = (url: string, duration = 10) =>
    autocannon({ connections: 32, duration, url, method: 'POST', headers, body });
  const floor = await startFloorRoute(options.floorDatabaseUrl);
  const floorLoad = await floor.measure(async () => {
    await load(`${floor.url}/api/tasks`, warmUpSeconds);
    return load(`${floor.url}/api/tasks`);
  });
  await load(`${options.tasksUrl}/api/tasks`, warmUpSeconds);
  await options.afterWarmUp?.();
  const create = await load(`${options.tasksUrl}/api/tasks`);
  if (create.non2xx > 0 || floorLoad.non2xx > 0) throw new Error('create requests failed');
  return {
    rows: httpLoadRows(
      options.benchmark,
      options.adapter,
      create,
      { name: 'floor route: bare Fastify + one INSERT statement', result: floorLoad },
      { throughput: '≥ 0.5× floor', p99: '< 50 ms' },
    ),
    created: create['2xx'],
  };
}
