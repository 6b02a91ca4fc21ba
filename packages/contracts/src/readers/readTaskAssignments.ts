import type { EnvelopeOf } from '../envelope.ts';
import type { TaskAssignedV1 } from '../events/task/assigned.v1.ts';
import type { TaskAssignedV2 } from '../events/task/assigned.v2.ts';
import type { TaskAssignedV3 } from '../events/task/assigned.v3.ts';

export interface TaskAssignment {
  taskId: string;
  assignmentId: string;
  assigneeId: string;
  assignFee: number;
  cause: 'created' | 'shuffle';
  assignedAt: string;
}

export type TaskAssignedEvent =
  | EnvelopeOf<typeof TaskAssignedV1>
  | EnvelopeOf<typeof TaskAssignedV2>
  | EnvelopeOf<typeof TaskAssignedV3>;

/** Reads any version of `task.assigned` as the assignments it carries: one up to v2, a popug's batch in v3. */
export function readTaskAssignments(event: TaskAssignedEvent): TaskAssignment[] {
  const { data } = event;
  if ('assignments' in data) {
    return data.assignments.map((assignment) => ({
      taskId: assignment.task_id,
      assignmentId: assignment.assignment_id,
      assigneeId: data.assignee_id,
      assignFee: assignment.assign_fee,
      cause: data.cause,
      assignedAt: data.assigned_at,
    }));
  }
  return [
    {
      taskId: data.task_id,
      assignmentId: data.assignment_id,
      assigneeId: data.assignee_id,
      assignFee: data.assign_fee,
      cause: data.cause,
      assignedAt: data.assigned_at,
    },
  ];
}
