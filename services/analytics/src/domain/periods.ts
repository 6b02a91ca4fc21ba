import { addDays, type BusinessDay } from '@ates/platform/time';

export interface Period {
  name: 'day' | 'week' | 'month';
  from: BusinessDay;
  to: BusinessDay;
}

/** The ISO week (Monday to Sunday) that holds the day. */
export function weekOf(day: BusinessDay): Period {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  const from = addDays(day, -weekday);
  return { name: 'week', from, to: addDays(from, 6) };
}

/** The calendar month that holds the day. */
export function monthOf(day: BusinessDay): Period {
  const from = `${day.slice(0, 7)}-01`;
  const next = new Date(`${from}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { name: 'month', from, to: addDays(next.toISOString().slice(0, 10), -1) };
}

export function periodsOf(day: BusinessDay): Period[] {
  return [{ name: 'day', from: day, to: day }, weekOf(day), monthOf(day)];
}

/** Management earns the fees and pays the rewards; an employee's change is the opposite of the company's. */
export function managementShare(kind: 'fee' | 'reward' | 'payout', employeeChange: number): number {
  return kind === 'payout' ? 0 : -employeeChange;
}
