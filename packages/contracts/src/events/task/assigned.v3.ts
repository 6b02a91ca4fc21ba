import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

/** At most this many assignments ride in one event: about 13 KB. */
export const maxAssignmentsPerEvent = 100;

export const TaskAssignedV3 = defineEvent({
  name: 'task.assigned',
  version: 3,
  producer: 'tasks',
  aggregate: 'assignee',
  partitionKey: (data) => data.assignee_id,
  description:
    "Tasks a popug got together, in one transaction, for one cause (a shuffle gives each popug its share in a few events): the same facts as v2, a popug's batch to an event. With one event per task, a shuffle of a million tasks made a million events to write, relay, store and read, each costing more than posting the fee it carries. The fee (10–20 $) of each assignment is taken from the assignee once. The envelope's aggregate id is the assignee.",
  data: Type.Object(
    {
      assignee_id: Field.id('The popug every task of the event went to'),
      cause: Type.Union([Type.Literal('created'), Type.Literal('shuffle')]),
      assigned_at: Field.timestamp('When the assignments were made'),
      assignments: Type.Array(
        Type.Object(
          {
            task_id: Field.id('The task'),
            assignment_id: Field.id('Unique per assignment: accounting charges each one exactly once'),
            assign_fee: Field.assignFee('Fee taken from the assignee, in cents (10–20 $)'),
          },
          strict,
        ),
        { minItems: 1, maxItems: maxAssignmentsPerEvent },
      ),
    },
    strict,
  ),
});
