/** A calendar day, "YYYY-MM-DD", in the business time zone. */
export type BusinessDay = string;

/**
 * The one clock business days come from. It runs with real time; tests (and a chaos
 * run) may move it forward, which is the only reason it has an offset.
 */
export class BusinessClock {
  private offsetMs: number;
  private readonly dayFormat: Intl.DateTimeFormat;

  constructor(
    readonly timeZone: string,
    offsetMs = 0,
  ) {
    this.offsetMs = offsetMs;
    this.dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  today(): BusinessDay {
    return this.dayOf(this.now());
  }

  dayOf(instant: Date): BusinessDay {
    return this.dayFormat.format(instant);
  }

  advance(milliseconds: number): void {
    this.offsetMs += milliseconds;
  }
}

/** Day arithmetic on calendar days, independent of time zones and daylight saving. */
export function addDays(day: BusinessDay, days: number): BusinessDay {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** A real calendar day, YYYY-MM-DD, from year 1 (PostgreSQL has no year 0). */
export function isBusinessDay(value: unknown): value is BusinessDay {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    value >= '0001-01-01' &&
    !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
    new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
  );
}

export function daysBetween(from: BusinessDay, to: BusinessDay): BusinessDay[] {
  const days: BusinessDay[] = [];
  for (let day = from; day <= to && days.length < 3_700; day = addDays(day, 1)) days.push(day);
  return days;
}
