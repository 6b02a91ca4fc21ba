import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from './chart.ts';

export interface BenchRow {
  benchmark: string;
  adapter?: string;
  measure: string;
  value: number;
  unit: string;
  /** The raw baseline measured in the same run, in the same unit. */
  baseline?: number;
  baselineName?: string;
  target?: string;
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
}

/** Ratio of the measured figure to its baseline, so "how far from the physical limit" reads directly. */
export function ratio(row: BenchRow): string {
  if (row.baseline === undefined || row.baseline === 0) return '';
  return `${(row.value / row.baseline).toFixed(2)}×`;
}

export function printTable(rows: readonly BenchRow[]): void {
  const header = ['benchmark', 'adapter', 'measure', 'value', 'baseline', 'ratio', 'target'];
  const lines = rows.map((row) => [
    row.benchmark,
    row.adapter ?? '',
    row.measure,
    `${format(row.value)} ${row.unit}`,
    row.baseline === undefined ? '' : `${format(row.baseline)} ${row.unit} (${row.baselineName ?? 'raw'})`,
    ratio(row),
    row.target ?? '',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  console.log(render(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of lines) console.log(render(line));
}

export function saveResults(name: string, rows: readonly BenchRow[], extra: Record<string, unknown> = {}): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ name, measuredAt: new Date().toISOString(), machine: machineFacts(), rows, ...extra }, null, 2)}\n`,
  );
  writeFileSync(join(resultsDir, `${name}.svg`), renderChart(name, rows));
  return file;
}

function machineFacts() {
  return {
    node: process.version,
    cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency,
    platform: process.platform,
    // How busy the machine was over the last 1, 5 and 15 minutes, the run included.
    loadAverage: loadavg().map((load) => Number(load.toFixed(2))),
  };
}

export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}
