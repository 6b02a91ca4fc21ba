import type { Pool } from '@ates/platform/db';
import type { Logger } from '@ates/platform/log';
import { addDays, daysBetween, type BusinessClock, type BusinessDay } from '@ates/platform/time';
import { closeBusinessDay } from './closeBusinessDay.ts';

/** Days that have ended but are not closed: a day left closing by a crash, then every day since the last close. */
export async function daysToClose(pool: Pool, today: BusinessDay): Promise<BusinessDay[]> {
  const { rows } = await pool.query<{ closing: string[] | null; last_closed: string | null; first_posted: string | null }>(
    `SELECT (SELECT array_agg(to_char(day, 'YYYY-MM-DD') ORDER BY day) FROM business_days WHERE state = 'closing') AS closing,
            (SELECT to_char(max(day), 'YYYY-MM-DD') FROM business_days WHERE state = 'closed') AS last_closed,
            (SELECT to_char(min(business_day), 'YYYY-MM-DD') FROM ledger_transfers) AS first_posted`,
  );
  const { closing, last_closed: lastClosed, first_posted: firstPosted } = rows[0]!;
  const start = lastClosed ? addDays(lastClosed, 1) : firstPosted;
  const ended = start ? daysBetween(start, addDays(today, -1)) : [];
  return [...new Set([...(closing ?? []), ...ended])].sort();
}

/** Closes each business day once it has ended (and resumes a close a crash interrupted). */
export function startDayCloser(pool: Pool, clock: BusinessClock, logger: Logger, everyMs: number): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running
      .then(async () => {
        for (const day of await daysToClose(pool, clock.today())) {
          const closed = await closeBusinessDay(pool, clock, day);
          logger.info(closed, 'business day closed');
        }
      })
      .catch((error: unknown) => logger.error({ err: error }, 'closing business days failed; will retry'));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
