import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

export const TaskCompletedV2 = defineEvent({
  name: 'task.completed',
  version: 2,
  producer: 'tasks',
  aggregate: 'task',
  partitionKey: (data) => data.assignee_id,
  description: 'The assignee marked the task done; done is final. The reward is within 20–40 $.',
  data: Type.Object(
    {
      task_id: Field.id('The task'),
      assignee_id: Field.id('Who completed it and is paid the reward'),
      completion_reward: Field.completionReward('Reward paid to the assignee, in cents (20–40 $)'),
      completed_at: Field.timestamp('When it was marked done'),
    },
    strict,
  ),
});
