/** Prices in cents, chosen once when a task appears, the same whoever does it. */
export const assignFeeRange = { min: 10_00, max: 20_00 } as const;
export const completionRewardRange = { min: 20_00, max: 40_00 } as const;

export interface TaskPrice {
  assignFee: number;
  completionReward: number;
}

/** `randomInt(min, maxExclusive)` is passed in, so tests can pin it. */
export function priceTask(randomInt: (min: number, maxExclusive: number) => number): TaskPrice {
  return {
    assignFee: randomInt(assignFeeRange.min, assignFeeRange.max + 1),
    completionReward: randomInt(completionRewardRange.min, completionRewardRange.max + 1),
  };
}
