import { AsyncLocalStorage } from 'node:async_hooks';
import {
  createEvent,
  type Envelope,
  type EventData,
  TaskAssignedV1,
  TaskAssignedV2,
  TaskCompletedV1,
  TaskCompletedV2,
  TaskCreatedV4,
} from '../../packages/contracts/src/index.ts';
import type { Delivery } from '../../packages/platform/src/bus/index.ts';
import { RuleBroken } from '../../packages/platform/src/errors/index.ts';
import { closingProgress } from '../../services/accounting/src/adapters/db/businessDays.ts';
import { type Checkpoint, installCheckpointHook } from '../../services/accounting/src/app/checkpoints.ts';
import { closeBusinessDay } from '../../services/accounting/src/app/closeBusinessDay.ts';
import { daysToClose } from '../../services/accounting/src/domain/ledger.ts';
import { busMessageOf } from '../test/busMessageOf.ts';
import { type AskedPosting, LedgerModel, violations } from './ledgerModel.ts';
import type { PlannedTask, Schedule } from './schedule.ts';
import type { SimulationWorld } from './simulationWorld.ts';

const dayMs = 24 * 3_600_000;
/** Every schedule starts at the same instant, so a seed replays the same days. */
const start = Date.parse('2026-03-02T12:00:00Z');
const pausePoints = new Set<Checkpoint>(['close.opened', 'close.batch.committed', 'close.finishing']);

/** A crash the way the process would see one: for the consumer, a failure of the world, so the batch comes again. */
class SimulatedCrash extends Error {
  readonly code = '58000';
}

/**
 * One piece of work under way: a delivery to the ledger consumer or a close. It runs only
 * when the scheduler lets it, up to its next pause point, where it waits. Pause points lie
 * between transactions (or, for a delivery, inside its transaction before it takes any
 * lock), so work that waits never holds what another needs.
 */
interface Work {
  name: string;
  crashAt: Checkpoint | null;
  pauseAt: Set<Checkpoint>;
  onCheckpoint: (point: Checkpoint) => void;
  body: () => Promise<void>;
  started: boolean;
  finished: boolean;
  failure?: unknown;
  wake?: () => void;
  resume?: () => void;
}

const current = new AsyncLocalStorage<Work>();

/** Lets the work go on until it pauses or ends. */
function runUntilPause(work: Work): Promise<void> {
  return new Promise((resolve) => {
    work.wake = resolve;
    if (work.started) {
      work.resume!();
      return;
    }
    work.started = true;
    void current.run(work, () =>
      work
        .body()
        .then(
          () => undefined,
          (error: unknown) => {
            work.failure = error;
          },
        )
        .finally(() => {
          work.finished = true;
          work.wake!();
        }),
    );
  });
}

type AssignmentData = EventData<typeof TaskAssignedV2>;

/** An assignment as the task's version announces it: since v4 a task's first rides in its task.created. */
function assignmentEvent(task: PlannedTask, data: AssignmentData): Envelope {
  if (task.version === 4 && data.cause === 'created') {
    const { task_id, assignee_id, assign_fee, assigned_at, assignment_id } = data;
    return createEvent(
      TaskCreatedV4,
      {
        task_id,
        title: 'Simulated task',
        jira_id: null,
        description: '',
        creator_id: assignee_id,
        assignee_id,
        assign_fee,
        completion_reward: task.reward,
        created_at: assigned_at,
        assignment_id,
      },
      { aggregateId: task.id },
    );
  }
  return task.version === 1
    ? createEvent(TaskAssignedV1, data, { aggregateId: task.id })
    : createEvent(TaskAssignedV2, data, { aggregateId: task.id });
}

function taskEvents(schedule: Schedule): { events: Envelope[]; asked: Map<string, AskedPosting> } {
  const events: Envelope[] = [];
  const asked = new Map<string, AskedPosting>();
  for (const task of schedule.tasks) {
    const at = new Date(start).toISOString();
    task.assignments.forEach((assignment, index) => {
      const data = {
        task_id: task.id,
        assignment_id: assignment.id,
        assignee_id: schedule.popugs[assignment.popug]!,
        assign_fee: task.fee,
        cause: index === 0 ? ('created' as const) : ('shuffle' as const),
        assigned_at: at,
      };
      const event = assignmentEvent(task, data);
      events.push(event);
      asked.set(event.event_id, { key: `fee:${assignment.id}`, account: data.assignee_id, change: -task.fee });
    });
    if (task.completed) {
      const assignee = schedule.popugs[task.assignments.at(-1)!.popug]!;
      const data = { task_id: task.id, assignee_id: assignee, completion_reward: task.reward, completed_at: at };
      const event =
        task.version === 1
          ? createEvent(TaskCompletedV1, data, { aggregateId: task.id })
          : createEvent(TaskCompletedV2, data, { aggregateId: task.id });
      events.push(event);
      asked.set(event.event_id, { key: `reward:${task.id}`, account: assignee, change: task.reward });
    }
  }
  const order = events.map((_, index) => schedule.deliveryOrder[index]!);
  const shuffled = events
    .map((event, index) => ({ event, key: order[index]! }))
    .sort((a, b) => a.key - b.key)
    .map(({ event }) => event);
  return { events: shuffled, asked };
}

const asDelivery = (event: Envelope, position: number, attempt = 1): Delivery => ({
  ...busMessageOf(event),
  position,
  attempt,
});

export interface ScheduleOutcome {
  violations: string[];
  /** What the schedule did, for the report. */
  counts: { deliveries: number; crashes: number; closes: number; redeliveries: number; days: number; postings: number };
}

/** Runs one schedule against the real ledger and analytics code and databases, then checks them against the model. */
export async function runSchedule(world: SimulationWorld, schedule: Schedule): Promise<ScheduleOutcome> {
  await world.reset();
  world.setTime(start);
  const clock = world.clock;
  const model = new LedgerModel();
  const { events, asked } = taskEvents(schedule);
  const queue: Delivery[] = events.map((event, index) => asDelivery(event, index + 1));
  const delivered: Delivery[] = [];
  const underWay: Work[] = [];
  const counts = { deliveries: 0, crashes: 0, closes: 0, redeliveries: 0, days: 1, postings: 0 };

  const removeHook = installCheckpointHook(async (point) => {
    const work = current.getStore();
    if (!work) return;
    work.onCheckpoint(point);
    if (work.crashAt === point) {
      work.crashAt = null;
      counts.crashes += 1;
      throw new SimulatedCrash(`simulated crash at ${point} in ${work.name}`);
    }
    if (work.pauseAt.has(point)) {
      await new Promise<void>((resume) => {
        work.resume = resume;
        work.wake!();
      });
    }
  });

  const delivery = (step: {
    size: number;
    crashAt: Checkpoint | null;
    pauseInside: boolean;
    loseAck: boolean;
  }): Work => {
    const batch = queue.splice(0, step.size);
    const work: Work = {
      name: `delivery of ${batch.length}`,
      crashAt: step.crashAt,
      pauseAt: new Set(step.pauseInside ? (['post.begun'] as const) : []),
      onCheckpoint: () => undefined,
      started: false,
      finished: false,
      body: async () => {
        try {
          await world.bus.deliver('accounting.ledger', batch);
        } catch (error) {
          // Not acknowledged: the broker delivers the same events again.
          queue.unshift(...batch.map((d) => ({ ...d, attempt: d.attempt + 1 })));
          throw error;
        }
        model.committed(
          batch.map((d) => asked.get(d.id)!),
          clock.today(),
        );
        delivered.push(...batch);
        if (step.loseAck) queue.unshift(...batch.map((d) => ({ ...d, attempt: d.attempt + 1 })));
      },
    };
    return work;
  };

  const close = (day: string, batchSize: number, crashAt: Checkpoint | null): Work => ({
    name: `close of ${day}`,
    crashAt,
    pauseAt: pausePoints,
    onCheckpoint: (point) => {
      if (point === 'close.opened') model.closeStarted(day);
    },
    started: false,
    finished: false,
    body: async () => {
      await closeBusinessDay(world.accounting, clock, day, { batchSize });
    },
  });

  const drive = async (work: Work) => {
    await runUntilPause(work);
    if (work.finished) underWay.splice(underWay.indexOf(work), 1);
  };
  const runToEnd = async (work: Work) => {
    work.crashAt = null;
    while (!work.finished) await runUntilPause(work);
    if (underWay.includes(work)) underWay.splice(underWay.indexOf(work), 1);
  };
  const failuresThatAreNotCrashes = (work: Work) =>
    work.failure && !(work.failure instanceof SimulatedCrash) && !(work.failure instanceof RuleBroken)
      ? [`${work.name} failed: ${String(work.failure)}`]
      : [];
  const unexpected: string[] = [];

  try {
    for (const step of schedule.steps) {
      const consumerBusy = underWay.some((work) => work.name.startsWith('delivery'));
      if (step.kind === 'deliver' && !consumerBusy && queue.length > 0) {
        const work = delivery(step);
        counts.deliveries += 1;
        underWay.push(work);
        await drive(work);
        unexpected.push(...(work.finished ? failuresThatAreNotCrashes(work) : []));
      } else if (step.kind === 'close' && underWay.length < 5) {
        const work = close(
          new Date(Date.parse(`${clock.today()}T00:00:00Z`) - step.daysBack * dayMs).toISOString().slice(0, 10),
          step.batchSize,
          step.crashAt,
        );
        counts.closes += 1;
        underWay.push(work);
        await drive(work);
        unexpected.push(...(work.finished ? failuresThatAreNotCrashes(work) : []));
      } else if (step.kind === 'redeliver' && delivered.length > 0) {
        const again = delivered[step.pick % delivered.length]!;
        queue.unshift({ ...again, attempt: again.attempt + 1 });
        counts.redeliveries += 1;
      } else if (step.kind === 'nextDay') {
        clock.advance(dayMs);
        counts.days += 1;
      } else if (underWay.length > 0) {
        const work = underWay[(step.kind === 'run' ? step.pick : 0) % underWay.length]!;
        await drive(work);
        unexpected.push(...(work.finished ? failuresThatAreNotCrashes(work) : []));
      }
    }

    // The system settles: work under way ends, every event arrives, and the automatic
    // closer finishes every close left half-way and closes every day that has ended.
    for (const work of [...underWay]) {
      await runToEnd(work);
      unexpected.push(...failuresThatAreNotCrashes(work));
    }
    while (queue.length > 0) {
      const work = delivery({ size: 10, crashAt: null, pauseInside: false, loseAck: false });
      await runToEnd(work);
      unexpected.push(...failuresThatAreNotCrashes(work));
    }
    for (const day of daysToClose(await closingProgress(world.accounting), clock.today())) {
      const work = close(day, 2, null);
      await runToEnd(work);
      if (work.failure) unexpected.push(`resuming the close of ${day} failed: ${String(work.failure)}`);
    }
  } finally {
    removeHook();
  }

  await world.feedAnalytics(schedule);
  const ledger = await world.ledgerSnapshot();
  counts.postings = ledger.transfers.length;
  return { violations: [...unexpected, ...violations(model, ledger, await world.analyticsSnapshot())], counts };
}
