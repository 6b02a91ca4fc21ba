import { runSchedule, type ScheduleOutcome } from './runSchedule.ts';
import { scheduleFor } from './schedule.ts';
import type { SimulationWorld } from './simulationWorld.ts';

export interface SimulationReport {
  schedules: number;
  /** The first schedule that broke a rule, with the seed that replays it. */
  failure?: { seed: number; violations: string[] };
  totals: ScheduleOutcome['counts'];
}

/**
 * Runs schedules `firstSeed`, `firstSeed + 1`, … and stops at the first that breaks a
 * rule: its seed alone replays it exactly (`npm run simulate -- --seed S --schedules 1`).
 */
export async function simulateLedger(
  world: SimulationWorld,
  options: { firstSeed: number; schedules: number; onSchedule?: (seed: number, outcome: ScheduleOutcome) => void },
): Promise<SimulationReport> {
  const totals = { deliveries: 0, crashes: 0, closes: 0, redeliveries: 0, days: 0, postings: 0 };
  for (let index = 0; index < options.schedules; index += 1) {
    const seed = options.firstSeed + index;
    const outcome = await runSchedule(world, scheduleFor(seed));
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += outcome.counts[key];
    options.onSchedule?.(seed, outcome);
    if (outcome.violations.length > 0)
      return { schedules: index + 1, failure: { seed, violations: outcome.violations }, totals };
  }
  return { schedules: options.schedules, totals };
}
