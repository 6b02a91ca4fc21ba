import { Type } from '@sinclair/typebox';
import { defineEvent, strict } from '../../defineEvent.ts';
import { pricesWithinBounds, taskFields } from './taskFields.ts';

export const TaskCreatedV1 = defineEvent({
  name: 'task.created',
  version: 1,
  producer: 'tasks',
  aggregate: 'task',
  description:
    'A task appeared and was priced. v1 has only a title, which may start with a jira id in brackets: "[UBERPOP-42] Fix button".',
  rules: pricesWithinBounds,
  data: Type.Object({ ...taskFields, title: Type.String({ minLength: 1, maxLength: 300 }) }, strict),
});
