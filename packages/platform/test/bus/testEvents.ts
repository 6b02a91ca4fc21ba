import { createEvent, TaskCompletedV1 } from '@ates/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { OutgoingMessage } from '../../src/bus/index.ts';

/** Real, schema-valid events spread over `aggregates` aggregates, each carrying its sequence number in the reward. */
export function taskCompletions(count: number, aggregates = 10): OutgoingMessage[] {
  const taskIds = Array.from({ length: aggregates }, () => uuidv7());
  return Array.from({ length: count }, (_, index) => {
    const taskId = taskIds[index % aggregates]!;
    const event = createEvent(
      TaskCompletedV1,
      { task_id: taskId, assignee_id: taskId, completion_reward: index, completed_at: new Date().toISOString() },
      { aggregateId: taskId },
    );
    return { id: event.event_id, name: event.event_name, key: taskId, body: JSON.stringify(event) };
  });
}

export function rewardOf(body: string): number {
  return (JSON.parse(body) as { data: { completion_reward: number } }).data.completion_reward;
}
