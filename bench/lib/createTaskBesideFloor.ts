import autocannon from 'autocannon';
import { startFloorRoute } from './floorRoute.ts';
import { httpLoadRows } from './httpLoadRows.ts';
import type { BenchRow } from './report.ts';

/**
 * Create-task requests at 32 connections for 10 s, and the same load on the floor route
 * (floor/floorServer.ts, its tables in `floorDatabaseUrl` on the same server) just before:
 * the rows with issue 19's targets, and how many tasks were created.
 */
export async function createTaskBesideFloor(options: {
  benchmark: string;
  adapter: string;
  tasksUrl: string;
  headers: Record<string, string>;
  floorDatabaseUrl: string;
}): Promise<{ rows: BenchRow[]; created: number }> {
  const { headers } = options;
  const body = JSON.stringify({ title: 'Bench task', description: 'created under load' });
  const load = (url: string) => autocannon({ connections: 32, duration: 10, url, method: 'POST', headers, body });
  const floor = await startFloorRoute(options.floorDatabaseUrl);
  const floorLoad = await floor.measure(() => load(`${floor.url}/api/tasks`));
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
