import type autocannon from 'autocannon';
import type { BenchRow } from './report.ts';

/**
 * Throughput and latency of an HTTP load, each beside a baseline measured in the same run:
 * GET /healthz (the HTTP floor) or the floor route of the same write (see floor/floorServer.ts).
 */
export function httpLoadRows(
  benchmark: string,
  adapter: string,
  load: autocannon.Result,
  baseline: { name: string; result: autocannon.Result },
  targets: { throughput?: string; p99?: string } = {},
): BenchRow[] {
  const beside = { benchmark, adapter, baselineName: baseline.name };
  return [
    {
      ...beside,
      measure: 'throughput',
      value: load.requests.average,
      unit: 'req/s',
      baseline: baseline.result.requests.average,
      ...(targets.throughput ? { target: targets.throughput } : {}),
    },
    { ...beside, measure: 'latency p50', value: load.latency.p50, unit: 'ms', baseline: baseline.result.latency.p50 },
    {
      ...beside,
      measure: 'latency p99',
      value: load.latency.p99,
      unit: 'ms',
      baseline: baseline.result.latency.p99,
      ...(targets.p99 ? { target: targets.p99 } : {}),
    },
  ];
}
