import { partitionOf } from '@ates/platform/partitions';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import {
  companyAccountFor,
  companyShards,
  daysToClose,
  employeeChange,
  openBusinessDay,
  transferFor,
} from './ledger.ts';

const popug = '0191f0a4-8a4c-7b0e-9a3e-000000000001';

describe('the company shards', () => {
  it("books an employee's fees and rewards on the shard of the employee's partition", () => {
    const employee = uuidv7();
    const shard = partitionOf(employee);
    const named = shard === 0 ? 'company' : `company:${shard}`;
    expect([transferFor('fee', employee, 1_500).to, transferFor('reward', employee, 3_200).from]).toEqual([
      named,
      named,
    ]);
  });

  it('spreads employees over exactly the shards migration 5 creates', () => {
    const shards = new Set(Array.from({ length: 2_000 }, () => companyAccountFor(uuidv7())));
    const created = ['company', ...Array.from({ length: companyShards - 1 }, (_, index) => `company:${index + 1}`)];
    expect([...shards].sort()).toEqual(created.sort());
  });
});

describe('the double entry of each business fact', () => {
  it('takes a fee from the employee for the company', () => {
    expect(transferFor('fee', popug, 1_500)).toEqual({
      kind: 'fee',
      from: popug,
      to: companyAccountFor(popug),
      amount: 1_500,
    });
  });

  it('pays a reward from the company to the employee', () => {
    expect(transferFor('reward', popug, 3_200)).toEqual({
      kind: 'reward',
      from: companyAccountFor(popug),
      to: popug,
      amount: 3_200,
    });
  });

  it('pays out to the outside world, leaving the company untouched', () => {
    expect(transferFor('payout', popug, 1_700)).toEqual({ kind: 'payout', from: popug, to: 'payouts', amount: 1_700 });
  });

  it.each([0, -5, 10.5, Number.MAX_SAFE_INTEGER + 2])('refuses %s cents', (amount) => {
    expect(() => transferFor('fee', popug, amount)).toThrow(RangeError);
  });
});

describe("how a transfer moves the employee's balance", () => {
  it('lowers it by a fee', () => {
    expect(employeeChange(transferFor('fee', popug, 1_500))).toBe(-1_500);
  });

  it('raises it by a reward', () => {
    expect(employeeChange(transferFor('reward', popug, 3_200))).toBe(3_200);
  });

  it('lowers it by a payout', () => {
    expect(employeeChange(transferFor('payout', popug, 1_700))).toBe(-1_700);
  });
});

describe('the day a posting belongs to', () => {
  it('is today while nothing is closed', () => {
    expect(openBusinessDay('2026-03-02', null)).toBe('2026-03-02');
  });

  it('is today when only earlier days are closed', () => {
    expect(openBusinessDay('2026-03-02', '2026-03-01')).toBe('2026-03-02');
  });

  it('is tomorrow once today was closed early', () => {
    expect(openBusinessDay('2026-03-02', '2026-03-02')).toBe('2026-03-03');
  });

  it('crosses a month end', () => {
    expect(openBusinessDay('2026-03-31', '2026-03-31')).toBe('2026-04-01');
  });
});

describe('the days the automatic closer owes', () => {
  it('are none while nothing was posted', () => {
    expect(daysToClose({ closing: [], lastClosed: null, firstPosted: null }, '2026-03-05')).toEqual([]);
  });

  it('start at the first posting, and end yesterday', () => {
    expect(daysToClose({ closing: [], lastClosed: null, firstPosted: '2026-03-02' }, '2026-03-05')).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
    ]);
  });

  it('start after the last closed day', () => {
    expect(daysToClose({ closing: [], lastClosed: '2026-03-03', firstPosted: '2026-03-01' }, '2026-03-05')).toEqual([
      '2026-03-04',
    ]);
  });

  it('never reach before the first posting, whatever was closed by hand', () => {
    expect(daysToClose({ closing: [], lastClosed: '2000-01-01', firstPosted: '2026-03-04' }, '2026-03-05')).toEqual([
      '2026-03-04',
    ]);
  });

  it('include a close left half-way, even one before a closed day', () => {
    expect(
      daysToClose({ closing: ['2026-03-02'], lastClosed: '2026-03-03', firstPosted: '2026-03-01' }, '2026-03-05'),
    ).toEqual(['2026-03-02', '2026-03-04']);
  });
});
