import { benchAccounting } from './accounting.ts';
import { benchAnalytics } from './analytics.ts';
import { benchBus } from './bus.ts';
import { benchEndToEnd } from './endToEnd.ts';
import { type BenchRow, printTable } from './lib/report.ts';
import { benchTasks } from './tasks.ts';

/** `npm run bench` runs every benchmark; `npm run bench -- bus` runs one. */
const benchmarks: Record<string, () => Promise<BenchRow[]>> = {
  bus: benchBus,
  tasks: benchTasks,
  accounting: benchAccounting,
  analytics: benchAnalytics,
  'end-to-end': benchEndToEnd,
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Known: ${Object.keys(benchmarks).join(', ')}`);
  process.exit(2);
}
const rows: BenchRow[] = [];
for (const name of asked.length > 0 ? asked : Object.keys(benchmarks)) {
  console.error(`running ${name}…`);
  rows.push(...(await benchmarks[name]!()));
}
printTable(rows);
console.log('Results written to bench/results/.');
