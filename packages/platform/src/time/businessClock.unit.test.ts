import { describe, expect, it } from 'vitest';
import { addDays, BusinessClock, daysBetween, isBusinessDay } from './businessClock.ts';

describe('the business clock', () => {
  it('tells the day in its own time zone', () => {
    const clock = new BusinessClock('Asia/Tokyo');
    expect(clock.dayOf(new Date('2026-03-01T14:59:59Z'))).toBe('2026-03-01');
    expect(clock.dayOf(new Date('2026-03-01T15:00:00Z'))).toBe('2026-03-02');
    expect(new BusinessClock('America/Los_Angeles').dayOf(new Date('2026-03-02T07:59:00Z'))).toBe('2026-03-01');
  });

  it('can be moved forward by tests', () => {
    const clock = new BusinessClock('UTC');
    const before = clock.today();
    clock.advance(24 * 3_600_000);
    expect(clock.today()).toBe(addDays(before, 1));
  });

  it('counts calendar days across month, year and daylight-saving boundaries', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(daysBetween('2026-03-30', '2026-04-02')).toEqual(['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02']);
    expect(isBusinessDay('2026-02-30')).toBe(false);
    expect(isBusinessDay('2026-02-28')).toBe(true);
  });

  it.each(['0000-01-01', '0000-12-31', '2026-13-01', '2026-1-01', ' 2026-01-01', 'yesterday'])(
    'refuses %j as a day',
    (value) => {
      expect(isBusinessDay(value)).toBe(false);
    },
  );

  it('takes the first day of year 1', () => {
    expect(isBusinessDay('0001-01-01')).toBe(true);
  });
});
