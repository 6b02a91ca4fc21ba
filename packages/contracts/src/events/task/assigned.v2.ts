import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

export const TaskAssignedV2 = defineEvent({
  name: 'task.assigned',
  version: 2,
  producer: 'tasks',
  aggregate: 'task',
  partitionKey: (data) => data.assignee_id,
  description:
    'A task got an assignee, at creation or by a shuffle; the fee (10–20 $) is taken from the assignee once per assignment.',
  data: Type.Object(
    {
      task_id: Field.id('The task'),
      assignment_id: Field.id('Unique per assignment: accounting charges each one exactly once'),
      assignee_id: Field.id('The new assignee'),
      assign_fee: Field.assignFee('Fee taken from the assignee, in cents (10–20 $)'),
      cause: Type.Union([Type.Literal('created'), Type.Literal('shuffle')]),
      assigned_at: Field.timestamp('When the assignment was made'),
    },
    strict,
  ),
});
