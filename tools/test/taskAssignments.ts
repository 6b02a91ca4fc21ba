import { uuidv7 } from 'uuidv7';
import { createEvent, partitionKeyOf, TaskAssignedV1, taskPrices } from '../../packages/contracts/src/index.ts';
import type { OutgoingMessage } from '../../packages/platform/src/bus/index.ts';

/**
 * `task.assigned` events as a shuffle publishes them (partitioned by the assignee), each for a task of its own, dealt
 * round-robin to `workers`, with fees across the allowed range: what the ledger posts.
 * `first` numbers them on from an earlier call.
 */
const { minimum, maximum } = taskPrices.assignFee;

export function taskAssignments(count: number, workers: readonly string[], first = 0): OutgoingMessage[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = first + offset;
    const taskId = uuidv7();
    const event = createEvent(
      TaskAssignedV1,
      {
        task_id: taskId,
        assignment_id: uuidv7(),
        assignee_id: workers[index % workers.length]!,
        assign_fee: minimum + (index % (maximum - minimum + 1)),
        cause: 'shuffle',
        assigned_at: new Date().toISOString(),
      },
      { aggregateId: taskId },
    );
    return {
      id: event.event_id,
      name: event.event_name,
      key: taskId,
      partitionKey: partitionKeyOf(event),
      body: JSON.stringify(event),
    };
  });
}
