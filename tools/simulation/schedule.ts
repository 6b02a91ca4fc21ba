import fc from 'fast-check';
import type { Checkpoint } from '../../services/accounting/src/app/checkpoints.ts';

/** Where a delivery of task events to the ledger may crash: inside its transaction, which then rolls back. */
export const postingCrashes = [
  'post.begun',
  'post.locked',
  'post.journaled',
  'post.announced',
] as const satisfies readonly Checkpoint[];

/** Where a close may crash: inside a batch's transaction, or between transactions (the close is left half-way). */
export const closingCrashes = [
  'close.opened',
  'close.batch.locked',
  'close.batch.paid',
  'close.batch.committed',
  'close.finishing',
] as const satisfies readonly Checkpoint[];

export interface PlannedTask {
  id: string;
  fee: number;
  reward: number;
  /** Indexes into the popugs: the first assignment is at creation, the rest are shuffles. */
  assignments: { id: string; popug: number }[];
  completed: boolean;
  /**
   * Which published version of the task events carries it: v1, v2, or 4 for tasks as they
   * are announced since `task.created` v4, which carries the first assignment itself.
   */
  version: 1 | 2 | 4;
}

export type Step =
  /** The ledger consumer takes the next `size` events as one batch (or goes on with the batch it has). */
  | {
      kind: 'deliver';
      size: number;
      crashAt: (typeof postingCrashes)[number] | null;
      pauseInside: boolean;
      loseAck: boolean;
    }
  /** Someone starts closing a day: today, or a few days back. */
  | { kind: 'close'; daysBack: number; batchSize: number; crashAt: (typeof closingCrashes)[number] | null }
  /** One piece of work under way goes on to its next pause, or to its end. */
  | { kind: 'run'; pick: number }
  /** An event delivered before comes again (the broker lost an acknowledgement). */
  | { kind: 'redeliver'; pick: number }
  | { kind: 'nextDay' };

export interface Schedule {
  popugs: string[];
  tasks: PlannedTask[];
  /** A sort key per event: the order the broker happens to deliver them in. */
  deliveryOrder: number[];
  steps: Step[];
  /** How analytics sees the ledger's events: a sort key, and whether each comes twice, or again under a new event id. */
  analyticsDelivery: { order: number; twice: boolean; resentAsNew: boolean }[];
  analyticsBatch: number;
}

const task = (popugs: number): fc.Arbitrary<PlannedTask> =>
  fc.record({
    id: fc.uuid(),
    fee: fc.integer({ min: 10_00, max: 20_00 }),
    reward: fc.integer({ min: 20_00, max: 40_00 }),
    assignments: fc.array(fc.record({ id: fc.uuid(), popug: fc.nat({ max: popugs - 1 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    completed: fc.boolean(),
    version: fc.constantFrom(1 as const, 2 as const, 4 as const),
  });

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      size: fc.integer({ min: 1, max: 6 }),
      crashAt: fc.option(fc.constantFrom(...postingCrashes), { freq: 4 }),
      pauseInside: fc.boolean(),
      loseAck: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('close' as const),
      daysBack: fc.integer({ min: 0, max: 3 }),
      batchSize: fc.integer({ min: 1, max: 3 }),
      crashAt: fc.option(fc.constantFrom(...closingCrashes), { freq: 3 }),
    }),
  },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('run' as const), pick: fc.nat({ max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'nextDay' as const }) },
);

export const scheduleArbitrary: fc.Arbitrary<Schedule> = fc.integer({ min: 2, max: 4 }).chain((popugCount) =>
  fc
    .record({
      popugs: fc.uniqueArray(fc.uuid(), { minLength: popugCount, maxLength: popugCount }),
      tasks: fc.array(task(popugCount), { minLength: 2, maxLength: 7 }),
      steps: fc.array(step, { minLength: 8, maxLength: 40 }),
      analyticsBatch: fc.integer({ min: 1, max: 8 }),
    })
    .chain((base) => {
      const events = base.tasks.reduce((n, planned) => n + planned.assignments.length + (planned.completed ? 1 : 0), 0);
      return fc.record({
        popugs: fc.constant(base.popugs),
        tasks: fc.constant(base.tasks),
        steps: fc.constant(base.steps),
        analyticsBatch: fc.constant(base.analyticsBatch),
        deliveryOrder: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: events, maxLength: events }),
        // Used round and round when the ledger makes more postings than there are entries.
        analyticsDelivery: fc.array(
          fc.record({
            order: fc.double({ min: 0, max: 1, noNaN: true }),
            twice: fc.boolean(),
            resentAsNew: fc.boolean(),
          }),
          {
            minLength: events + popugCount * 4,
            maxLength: events + popugCount * 4,
          },
        ),
      });
    }),
);

/** The schedule a seed stands for: the same seed gives the same schedule, on any machine. */
export function scheduleFor(seed: number): Schedule {
  return fc.sample(scheduleArbitrary, { seed, numRuns: 1 })[0]!;
}
