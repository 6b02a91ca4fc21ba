import { createEvent, TaskCompletedV1, taskPrices } from '@ates/contracts';
import { uuidv7 } from 'uuidv7';
import type { OutgoingMessage } from '../../src/bus/index.ts';

// Rewards start at the lowest a task may pay, so every event stays within the business bounds.
const lowestReward = taskPrices.completionReward.minimum;

/** Real, schema-valid events spread over `aggregates` aggregates, each numbered 0, 1, 2… through its reward. */
export function taskCompletions(count: number, aggregates = 10): OutgoingMessage[] {
  const taskIds = Array.from({ length: aggregates }, () => uuidv7());
  return Array.from({ length: count }, (_, index) => {
    const taskId = taskIds[index % aggregates]!;
    const event = createEvent(
      TaskCompletedV1,
      {
        task_id: taskId,
        assignee_id: taskId,
        completion_reward: lowestReward + index,
        completed_at: new Date().toISOString(),
      },
      { aggregateId: taskId },
    );
    return { id: event.event_id, name: event.event_name, key: taskId, body: JSON.stringify(event) };
  });
}

/** The number `taskCompletions` gave an event through its reward. */
export function numberOfReward(reward: number): number {
  return reward - lowestReward;
}

export function numberOf(body: string): number {
  return numberOfReward((JSON.parse(body) as { data: { completion_reward: number } }).data.completion_reward);
}
