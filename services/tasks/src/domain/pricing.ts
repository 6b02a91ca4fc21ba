import { taskPrices } from '@ates/contracts';

/** Prices in cents, chosen once when a task appears, the same whoever does it, within the bounds the task events publish. */
export interface TaskPrice {
  assignFee: number;
  completionReward: number;
}

/** `randomInt(min, maxExclusive)` is passed in, so tests can pin it. */
export function priceTask(randomInt: (min: number, maxExclusive: number) => number): TaskPrice {
  return {
    assignFee: randomInt(taskPrices.assignFee.minimum, taskPrices.assignFee.maximum + 1),
    completionReward: randomInt(taskPrices.completionReward.minimum, taskPrices.completionReward.maximum + 1),
  };
}
