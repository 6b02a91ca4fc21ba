import { uuidv7 } from 'uuidv7';
import {
  createEvent,
  type Envelope,
  partitionKeyOf,
  TaskAssignedV3,
  TaskCreatedV4,
  taskPrices,
} from '../../packages/contracts/src/index.ts';
import type { OutgoingMessage } from '../../packages/platform/src/bus/index.ts';

const { minimum, maximum } = taskPrices.assignFee;
/** Fees across the allowed range, by the assignment's number. */
const feeOf = (index: number) => minimum + (index % (maximum - minimum + 1));
const messageOf = (event: Envelope): OutgoingMessage => ({
  id: event.event_id,
  name: event.event_name,
  key: event.aggregate_id,
  partitionKey: partitionKeyOf(event),
  body: JSON.stringify(event),
});

/**
 * New tasks as tasks announces them: one `task.created` v4 each, which is also the task's
 * first assignment (partitioned by the assignee), dealt round-robin to `workers`, with
 * fees across the allowed range: what the ledger posts. `first` numbers them on from an
 * earlier call.
 */
export function newTaskAssignments(count: number, workers: readonly string[], first = 0): OutgoingMessage[] {
  const { minimum: reward } = taskPrices.completionReward;
  return Array.from({ length: count }, (_, offset) => {
    const index = first + offset;
    const taskId = uuidv7();
    const assignee = workers[index % workers.length]!;
    const at = new Date().toISOString();
    return messageOf(
      createEvent(
        TaskCreatedV4,
        {
          task_id: taskId,
          title: `Task ${index}`,
          jira_id: null,
          description: '',
          creator_id: assignee,
          assignee_id: assignee,
          assign_fee: feeOf(index),
          completion_reward: reward,
          created_at: at,
          assignment_id: uuidv7(),
        },
        { aggregateId: taskId },
      ),
    );
  });
}

/**
 * The same assignments as a shuffle announces them: `task.assigned` v3, each event one
 * worker's share of `perEvent` of them (the last share of a call may be smaller).
 */
export function taskAssignmentShares(
  count: number,
  workers: readonly string[],
  perEvent: number,
  first = 0,
): OutgoingMessage[] {
  const shares = new Map<string, { task_id: string; assignment_id: string; assign_fee: number }[]>();
  for (let offset = 0; offset < count; offset += 1) {
    const index = first + offset;
    const worker = workers[index % workers.length]!;
    const share = shares.get(worker) ?? [];
    shares.set(worker, share);
    share.push({ task_id: uuidv7(), assignment_id: uuidv7(), assign_fee: feeOf(index) });
  }
  const at = new Date().toISOString();
  return [...shares].flatMap(([worker, assignments]) =>
    Array.from({ length: Math.ceil(assignments.length / perEvent) }, (_, part) =>
      messageOf(
        createEvent(
          TaskAssignedV3,
          {
            assignee_id: worker,
            cause: 'shuffle',
            assigned_at: at,
            assignments: assignments.slice(part * perEvent, (part + 1) * perEvent),
          },
          { aggregateId: worker },
        ),
      ),
    ),
  );
}
