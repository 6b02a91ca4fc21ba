import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';
import { pricesWithinBounds } from './taskFields.ts';

export const TaskAssignedV1 = defineEvent({
  name: 'task.assigned',
  version: 1,
  producer: 'tasks',
  aggregate: 'task',
  description: 'A task got an assignee, at creation or by a shuffle. Each assignment costs the assignee the fee once.',
  rules: pricesWithinBounds,
  partitionKey: (data) => data.assignee_id,
  data: Type.Object(
    {
      task_id: Field.id('The task'),
      assignment_id: Field.id('Unique per assignment: accounting charges each one exactly once'),
      assignee_id: Field.id('The new assignee'),
      assign_fee: Field.cents('Fee taken from the assignee, in cents'),
      cause: Type.Union([Type.Literal('created'), Type.Literal('shuffle')]),
      assigned_at: Field.timestamp('When the assignment was made'),
    },
    strict,
  ),
});
