import { Type } from '@sinclair/typebox';
import { Field } from '../../defineEvent.ts';

export const taskFields = {
  task_id: Field.id('The task'),
  description: Type.String({ maxLength: 10_000 }),
  creator_id: Field.id('Account that created the task'),
  assignee_id: Field.id('Account the task was first assigned to'),
  assign_fee: Field.cents('Taken from the assignee on every assignment, in cents'),
  completion_reward: Field.cents('Paid to the assignee on completion, in cents'),
  created_at: Field.timestamp('When the task was created'),
};

/** Titles never hold a jira id in brackets: since v2 it has a field of its own. */
export const titleWithoutJiraId = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\[\\]]+$' });
export const jiraId = Type.Union([Type.String({ pattern: '^[A-Z][A-Z0-9]*-[0-9]+$', maxLength: 64 }), Type.Null()]);
