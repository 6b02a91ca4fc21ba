import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';
import { boundedTaskFields, jiraId, titleWithoutJiraId } from './taskFields.ts';

export const TaskCreatedV4 = defineEvent({
  name: 'task.created',
  version: 4,
  producer: 'tasks',
  aggregate: 'task',
  // It moves the assignee's money (the first fee): partitioned like task.assigned.
  partitionKey: (data) => data.assignee_id,
  description:
    'A task appeared, priced within the business bounds (a fee of 10–20 $ per assignment, a reward of 20–40 $), and was given its first assignee: the event is also that first assignment, and no task.assigned follows it. The fee is taken from the assignee once, keyed by assignment_id as every assignment is. Up to v3 a new task published task.created and then task.assigned: two events for one fact, each written, relayed, stored, delivered and acknowledged.',
  data: Type.Object(
    {
      ...boundedTaskFields,
      title: titleWithoutJiraId,
      jira_id: jiraId,
      assignment_id: Field.id('Unique per assignment: accounting charges the first fee exactly once'),
    },
    strict,
  ),
});
