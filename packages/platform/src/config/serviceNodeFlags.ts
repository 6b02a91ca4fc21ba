import { readInteger } from './settings.ts';

/**
 * Node flags every service process runs with (`npm start`, the tests' and benchmarks'
 * processes). Left alone, V8 lets old space grow toward a share of the machine's memory
 * before it collects: a ledger member on NATS peaked at 342 MB of RSS. With old space
 * bounded at 256 MB it peaked at 213–224 MB, and posted as fast (three interleaved runs
 * each: 6,823 against 6,782 postings/s, one member). `SERVICE_HEAP_MB` sets the bound.
 */
export function serviceNodeFlags(env: Record<string, string | undefined> = process.env): string[] {
  return [`--max-old-space-size=${readInteger('SERVICE_HEAP_MB', 256, env)}`];
}
