import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';
import { pricesWithinBounds } from './taskFields.ts';

export const TaskCompletedV1 = defineEvent({
  name: 'task.completed',
  version: 1,
  producer: 'tasks',
  aggregate: 'task',
  description: 'The assignee marked the task done; done is final.',
  rules: pricesWithinBounds,
  partitionKey: (data) => data.assignee_id,
  data: Type.Object(
    {
      task_id: Field.id('The task'),
      assignee_id: Field.id('Who completed it and is paid the reward'),
      completion_reward: Field.cents('Reward paid to the assignee, in cents'),
      completed_at: Field.timestamp('When it was marked done'),
    },
    strict,
  ),
});
