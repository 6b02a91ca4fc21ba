import { Type } from '@sinclair/typebox';
import { defineEvent, strict } from '../../defineEvent.ts';
import { boundedTaskFields, jiraId, titleWithoutJiraId } from './taskFields.ts';

export const TaskCreatedV3 = defineEvent({
  name: 'task.created',
  version: 3,
  producer: 'tasks',
  aggregate: 'task',
  description:
    'A task appeared and was priced within the business bounds: a fee of 10–20 $ per assignment, a reward of 20–40 $.',
  data: Type.Object({ ...boundedTaskFields, title: titleWithoutJiraId, jira_id: jiraId }, strict),
});
