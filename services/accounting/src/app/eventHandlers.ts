import {
  type AssigningEvent,
  type EnvelopeOf,
  isAssigningEvent,
  readTaskAssignments,
  readTaskCreated,
  TaskAssignedV1,
  TaskAssignedV2,
  TaskAssignedV3,
  TaskCompletedV1,
  TaskCompletedV2,
  TaskCreatedV1,
  TaskCreatedV2,
  TaskCreatedV3,
  TaskCreatedV4,
} from '@ates/contracts';
import { accountDirectoryHandlers } from '@ates/platform/accounts';
import { type HandlerRegistration, onBatch } from '@ates/platform/inbox';
import type { BusinessClock } from '@ates/platform/time';
import { rememberTasks } from '../adapters/db/knownTasks.ts';
import { idempotencyKey } from '../domain/ledger.ts';
import { type Posting, postTransfers } from './postTransfers.ts';

type CompletedEvent = EnvelopeOf<typeof TaskCompletedV1 | typeof TaskCompletedV2>;
type CreatedEvent = EnvelopeOf<
  typeof TaskCreatedV1 | typeof TaskCreatedV2 | typeof TaskCreatedV3 | typeof TaskCreatedV4
>;
type TaskEvent = AssigningEvent | CompletedEvent | CreatedEvent;

const isCreated = (event: TaskEvent): event is CreatedEvent => event.event_name === 'task.created';

/**
 * The money a task event moves: the fee of each assignment (task.assigned, and task.created
 * from v4, a new task's first), the reward of a completion; nothing for older task.created.
 */
function postingsOf(event: TaskEvent): Posting[] {
  if (event.event_name === 'task.completed') {
    return [
      {
        kind: 'reward',
        employeeId: event.data.assignee_id,
        amount: event.data.completion_reward,
        taskId: event.data.task_id,
        idempotencyKey: idempotencyKey.reward(event.data.task_id),
        occurredAt: event.data.completed_at,
        traceId: event.trace_id,
      },
    ];
  }
  if (!isAssigningEvent(event)) return [];
  return readTaskAssignments(event).map((assignment) => ({
    kind: 'fee',
    employeeId: assignment.assigneeId,
    amount: assignment.assignFee,
    taskId: assignment.taskId,
    idempotencyKey: idempotencyKey.fee(assignment.assignmentId),
    occurredAt: assignment.assignedAt,
    traceId: event.trace_id,
  }));
}

/**
 * How the ledger group takes its events. Batches are only this large when a backlog is
 * waiting, so latency does not pay for them. A batch of many postings pays once for what
 * it costs per account (the lock, the balance, the check that the account exists): with
 * 1,000 popugs, 4,000 postings a batch ran at 18.7k postings/s against 15.0k at 1,000
 * (8,000: 17.2k, with more garbage to collect). Two lanes let PostgreSQL apply one half
 * while Node prepares the other: 22.6k against 18.7k with one (200k assignments, this
 * machine). Lanes split by the employee, like the company shards, so they never lock the
 * same row (their count must divide the shards': 3 lanes shared shards and queued, 17–19k
 * against 23–29k with 2). A batch under 250 KB (about 500 events of one posting, the
 * trickle latency depends on) stays one commit; counted in events, a backlog of v3 shares
 * (50 postings an event) never split, and ran at 16–21k postings/s against 23–29k.
 */
export const ledgerBatching = {
  maxBatch: 4_000,
  // Postings, not events, are the work: a task.assigned v3 carries up to 100. 2 MB is
  // about 4,000 events of one posting, or some 15,000 postings in batched events.
  maxBatchBytes: 2_000_000,
  lanes: { count: 2, minimumBytes: 250_000 },
} as const;

/**
 * What accounting does with each event. Prices travel in the task events, so nothing
 * waits for anything: an assignment seen before its task or its account is still charged.
 */
export function accountingHandlers(clock: BusinessClock): HandlerRegistration[] {
  return [
    ...accountDirectoryHandlers(),
    // Up to v3 a new task came as task.created then task.assigned. Taken one handler each,
    // those alternated and every fee was posted alone (a dozen statements per posting). The
    // tasks table and the ledger are written apart and neither reads the other, so a run of
    // task events is taken together: the tasks remembered, then the fees (task.created v4
    // carries the first) and rewards posted in the order they came.
    // Every version is held to the same price bounds before it gets here (see the contracts).
    ...onBatch(
      [
        TaskCreatedV1,
        TaskCreatedV2,
        TaskCreatedV3,
        TaskCreatedV4,
        TaskAssignedV1,
        TaskAssignedV2,
        TaskAssignedV3,
        TaskCompletedV1,
        TaskCompletedV2,
      ] as const,
      async (events, tx) => {
        await rememberTasks(tx, events.filter(isCreated).map(readTaskCreated));
        await postTransfers(tx, clock, events.flatMap(postingsOf));
      },
      // Every posting is keyed (the assignment, the task) and checked under its account's
      // lock, and a task is remembered once: an event seen again changes nothing, so the
      // inbox need not record each one too.
      { idempotent: true },
    ),
  ];
}
