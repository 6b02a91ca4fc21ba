import { RuleBroken } from '../errors/index.ts';
import { addDays, type BusinessDay, isBusinessDay } from './businessClock.ts';

/** A day from a query string, today when absent. */
export function readDay(asked: string | undefined, today: BusinessDay): BusinessDay {
  if (asked === undefined || asked === '') return today;
  if (!isBusinessDay(asked)) throw new RuleBroken('invalid', `"${asked}" is not a day: use YYYY-MM-DD`);
  return asked;
}

/** A range of days from a query string: up to `today` and `defaultDays` long unless asked otherwise, at most 366 days. */
export function readDayRange(
  query: { from?: string; to?: string },
  today: BusinessDay,
  defaultDays: number,
): { from: BusinessDay; to: BusinessDay } {
  const to = readDay(query.to, today);
  const from = readDay(query.from, addDays(to, -(defaultDays - 1)));
  if (from > to) throw new RuleBroken('invalid', 'The range starts after it ends');
  if (addDays(from, 365) < to) throw new RuleBroken('invalid', 'Ask for at most 366 days at once');
  return { from, to };
}
