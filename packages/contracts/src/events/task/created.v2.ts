import { Type } from '@sinclair/typebox';
import { defineEvent, strict } from '../../defineEvent.ts';
import { jiraId, pricesWithinBounds, taskFields, titleWithoutJiraId } from './taskFields.ts';

export const TaskCreatedV2 = defineEvent({
  name: 'task.created',
  version: 2,
  producer: 'tasks',
  aggregate: 'task',
  description: 'A task appeared and was priced. The jira id has its own field and never appears in the title.',
  rules: pricesWithinBounds,
  data: Type.Object({ ...taskFields, title: titleWithoutJiraId, jira_id: jiraId }, strict),
});
