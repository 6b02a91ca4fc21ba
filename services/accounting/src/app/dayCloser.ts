import type { Pool } from '@ates/platform/db';
import type { Logger } from '@ates/platform/log';
import { metricsRegistry } from '@ates/platform/metrics';
import { backoffDelay } from '@ates/platform/runtime';
import type { BusinessClock, BusinessDay } from '@ates/platform/time';
import { Counter, Gauge } from 'prom-client';
import { closingProgress } from '../adapters/db/businessDays.ts';
import { daysToClose } from '../domain/ledger.ts';
import { closeBusinessDay } from './closeBusinessDay.ts';

const closeFailures = new Counter({
  name: 'ates_day_close_failures_total',
  help: 'Automatic closes of a business day that failed (each is tried again with backoff)',
  registers: [metricsRegistry],
});
const daysFailing = new Gauge({
  name: 'ates_days_failing_to_close',
  help: 'Ended business days whose automatic close is failing right now',
  registers: [metricsRegistry],
});

export interface FailingClose {
  day: BusinessDay;
  attempts: number;
  error: string;
  nextAttemptAt: Date;
}

export interface DayCloser {
  /** The days whose close keeps failing, for `/api/ops/status` and `ates status`. */
  failing(): FailingClose[];
  stop(): Promise<void>;
}

/**
 * Closes each business day once it has ended, and resumes a close a crash interrupted.
 * A day that fails is reported (log, metric, status) and tried again later and later;
 * the days after it are closed meanwhile.
 */
export function startDayCloser(pool: Pool, clock: BusinessClock, logger: Logger, everyMs: number): DayCloser {
  // A failing day is tried again after 1, 2, 4… ticks, at most 32 ticks or 15 minutes apart.
  const maxBackoffMs = Math.min(15 * 60_000, 32 * everyMs);
  const failures = new Map<BusinessDay, FailingClose>();
  const closeDue = async () => {
    for (const day of daysToClose(await closingProgress(pool), clock.today())) {
      const failed = failures.get(day);
      if (failed && failed.nextAttemptAt.getTime() > Date.now()) continue;
      try {
        const closed = await closeBusinessDay(pool, clock, day);
        failures.delete(day);
        logger.info(closed, 'business day closed');
      } catch (error) {
        const attempts = (failed?.attempts ?? 0) + 1;
        const message = error instanceof Error ? error.message : String(error);
        failures.set(day, {
          day,
          attempts,
          error: message,
          nextAttemptAt: new Date(Date.now() + backoffDelay(attempts, everyMs, maxBackoffMs)),
        });
        closeFailures.inc();
        logger.error(
          { day, attempts, err: error },
          'closing a business day failed; will retry later, going on with the days after it',
        );
      }
    }
    daysFailing.set(failures.size);
  };
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running
      .then(closeDue)
      // Usually the database is briefly out of reach (a busy machine at startup, a restart):
      // the reason is enough, a stack trace would only alarm.
      .catch((error: unknown) =>
        logger.warn(
          { reason: error instanceof Error ? error.message : String(error) },
          'could not read which days to close; will retry',
        ),
      );
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    failing: () => [...failures.values()],
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
