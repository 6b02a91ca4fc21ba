import { describe, expect, it } from 'vitest';
import { newestBalances } from './newestBalances.ts';

const popug = '0191f0a4-8a4c-7b0e-9a3e-000000000001';
const at = (second: number) => `2026-03-02T10:00:${String(second).padStart(2, '0')}.000Z`;

describe('the newest balance of an account', () => {
  it('is the one with the highest posting number, even when its clock time is earlier', () => {
    const balances = newestBalances([
      { accountId: popug, balance: 0, sequence: 2, asOf: at(5) },
      { accountId: popug, balance: -1_500, sequence: 3, asOf: at(4) },
    ]);
    expect(balances).toEqual([{ accountId: popug, balance: -1_500, sequence: 3, asOf: at(4) }]);
  });

  it('does not go back to an older posting that arrives late', () => {
    const balances = newestBalances([
      { accountId: popug, balance: -1_500, sequence: 3, asOf: at(4) },
      { accountId: popug, balance: 0, sequence: 2, asOf: at(5) },
    ]);
    expect(balances.map((b) => b.balance)).toEqual([-1_500]);
  });

  it('orders postings without a number (v1) by time', () => {
    const balances = newestBalances([
      { accountId: popug, balance: 700, sequence: 0, asOf: at(9) },
      { accountId: popug, balance: 300, sequence: 0, asOf: at(1) },
    ]);
    expect(balances.map((b) => b.balance)).toEqual([700]);
  });

  it('prefers any numbered posting to one without a number', () => {
    const balances = newestBalances([
      { accountId: popug, balance: 300, sequence: 1, asOf: at(1) },
      { accountId: popug, balance: 700, sequence: 0, asOf: at(9) },
    ]);
    expect(balances.map((b) => b.balance)).toEqual([300]);
  });
});
