import { describe, expect, it } from 'vitest';
import { priceTask } from './pricing.ts';

describe('pricing a task', () => {
  it('asks for a fee between 10 $ and 20 $ and a reward between 20 $ and 40 $, in cents', () => {
    const asked: [number, number][] = [];
    priceTask((min, maxExclusive) => {
      asked.push([min, maxExclusive]);
      return min;
    });
    expect(asked).toEqual([
      [10_00, 20_01],
      [20_00, 40_01],
    ]);
  });

  it('takes what the random draw gives', () => {
    expect(priceTask((_min, maxExclusive) => maxExclusive - 1)).toEqual({ assignFee: 20_00, completionReward: 40_00 });
  });
});
