import { describe, expect, it } from 'vitest';
import { managementShare, monthOf, periodsOf, weekOf } from './periods.ts';

describe('periods', () => {
  it('finds the Monday-to-Sunday week across a month and a year boundary', () => {
    expect(weekOf('2026-03-01')).toEqual({ name: 'week', from: '2026-02-23', to: '2026-03-01' });
    expect(weekOf('2026-03-02')).toEqual({ name: 'week', from: '2026-03-02', to: '2026-03-08' });
    expect(weekOf('2027-01-01')).toEqual({ name: 'week', from: '2026-12-28', to: '2027-01-03' });
  });

  it('finds the calendar month, leap years included', () => {
    expect(monthOf('2024-02-10')).toEqual({ name: 'month', from: '2024-02-01', to: '2024-02-29' });
    expect(monthOf('2026-12-31')).toEqual({ name: 'month', from: '2026-12-01', to: '2026-12-31' });
    expect(periodsOf('2026-03-03').map((p) => p.name)).toEqual(['day', 'week', 'month']);
  });

  it('counts fees for management and rewards against it, payouts not at all', () => {
    expect(managementShare('fee', -1_500)).toBe(1_500);
    expect(managementShare('reward', 3_200)).toBe(-3_200);
    expect(managementShare('payout', -5_000)).toBe(0);
  });
});
