import type { EnvelopeOf } from '../envelope.ts';
import type { TaskCreatedV1 } from '../events/task/created.v1.ts';
import type { TaskCreatedV2 } from '../events/task/created.v2.ts';
import type { TaskCreatedV3 } from '../events/task/created.v3.ts';
import type { TaskCreatedV4 } from '../events/task/created.v4.ts';

export interface TaskCreated {
  taskId: string;
  title: string;
  jiraId: string | null;
  description: string;
  creatorId: string;
  assigneeId: string;
  assignFee: number;
  completionReward: number;
  createdAt: string;
}

const legacyTitle = /^\s*\[([^\]]+)\]\s*(.*)$/;

/** v1 put the jira id in the title ("[UBERPOP-42] Fix button"); v2 has a field for it. */
export function splitLegacyTitle(title: string): { title: string; jiraId: string | null } {
  const match = legacyTitle.exec(title);
  if (!match?.[2]) return { title: title.trim(), jiraId: null };
  return { title: match[2].trim(), jiraId: match[1]!.trim() };
}

/** Reads any version of `task.created` into the current shape, so consumers serve them all. */
export function readTaskCreated(
  event:
    | EnvelopeOf<typeof TaskCreatedV1>
    | EnvelopeOf<typeof TaskCreatedV2>
    | EnvelopeOf<typeof TaskCreatedV3>
    | EnvelopeOf<typeof TaskCreatedV4>,
): TaskCreated {
  const { data } = event;
  const { title, jiraId } =
    'jira_id' in data ? { title: data.title, jiraId: data.jira_id } : splitLegacyTitle(data.title);
  return {
    taskId: data.task_id,
    title,
    jiraId,
    description: data.description,
    creatorId: data.creator_id,
    assigneeId: data.assignee_id,
    assignFee: data.assign_fee,
    completionReward: data.completion_reward,
    createdAt: data.created_at,
  };
}
