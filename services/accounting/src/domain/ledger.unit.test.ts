import { describe, expect, it } from 'vitest';
import { companyChange, employeeChange, openBusinessDay, payoutFor, transferFor } from './ledger.ts';

const popug = '0191f0a4-8a4c-7b0e-9a3e-000000000001';

describe('ledger rules', () => {
  it('takes a fee from the employee for the company', () => {
    const fee = transferFor('fee', popug, 1_500);
    expect(fee).toEqual({ kind: 'fee', from: popug, to: 'company', amount: 1_500 });
    expect(employeeChange(fee)).toBe(-1_500);
    expect(companyChange(fee)).toBe(1_500);
  });

  it('pays a reward from the company to the employee', () => {
    const reward = transferFor('reward', popug, 3_200);
    expect(reward).toEqual({ kind: 'reward', from: 'company', to: popug, amount: 3_200 });
    expect(employeeChange(reward)).toBe(3_200);
    expect(companyChange(reward)).toBe(-3_200);
  });

  it('pays out to the outside world, leaving the company untouched', () => {
    const payout = transferFor('payout', popug, 1_700);
    expect(payout).toEqual({ kind: 'payout', from: popug, to: 'payouts', amount: 1_700 });
    expect(employeeChange(payout)).toBe(-1_700);
    expect(companyChange(payout)).toBe(0);
  });

  it('refuses amounts that are not positive whole cents', () => {
    expect(() => transferFor('fee', popug, 0)).toThrow(RangeError);
    expect(() => transferFor('fee', popug, -5)).toThrow(RangeError);
    expect(() => transferFor('reward', popug, 10.5)).toThrow(RangeError);
  });

  it('pays out only positive balances; negative ones carry over', () => {
    expect(payoutFor(2_500)).toBe(2_500);
    expect(payoutFor(0)).toBe(0);
    expect(payoutFor(-800)).toBe(0);
  });

  it('posts to the next day once today has been closed early', () => {
    expect(openBusinessDay('2026-03-02', null)).toBe('2026-03-02');
    expect(openBusinessDay('2026-03-02', '2026-03-01')).toBe('2026-03-02');
    expect(openBusinessDay('2026-03-02', '2026-03-02')).toBe('2026-03-03');
    expect(openBusinessDay('2026-03-31', '2026-03-31')).toBe('2026-04-01');
  });
});
