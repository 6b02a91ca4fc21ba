import type autocannon from 'autocannon';
import type { BenchRow } from './report.ts';

/** Throughput and latency of an HTTP load, each beside the same service's GET /healthz in the same run. */
export function httpLoadRows(
  benchmark: string,
  adapter: string,
  load: autocannon.Result,
  health: autocannon.Result,
): BenchRow[] {
  const beside = { benchmark, adapter, baselineName: 'GET /healthz' };
  return [
    {
      ...beside,
      measure: 'throughput',
      value: load.requests.average,
      unit: 'req/s',
      baseline: health.requests.average,
      target: '≥ 3 000 req/s',
    },
    { ...beside, measure: 'latency p50', value: load.latency.p50, unit: 'ms', baseline: health.latency.p50 },
    {
      ...beside,
      measure: 'latency p99',
      value: load.latency.p99,
      unit: 'ms',
      baseline: health.latency.p99,
      target: '< 50 ms',
    },
  ];
}
