import type { EnvelopeOf } from '../envelope.ts';
import type { TaskAssignedV1 } from '../events/task/assigned.v1.ts';
import type { TaskAssignedV2 } from '../events/task/assigned.v2.ts';
import type { TaskAssignedV3 } from '../events/task/assigned.v3.ts';
import type { TaskCreatedV4 } from '../events/task/created.v4.ts';

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

/** Every event that assigns tasks: any `task.assigned`, and `task.created` from v4 on (a new task's first assignment). */
export type AssigningEvent = TaskAssignedEvent | EnvelopeOf<typeof TaskCreatedV4>;

/** Whether an event from the bus assigns tasks, so that `readTaskAssignments` reads it. */
export function isAssigningEvent<Event extends { event_name: string; event_version: number }>(
  event: Event,
): event is Event & AssigningEvent {
  return event.event_name === 'task.assigned' || (event.event_name === 'task.created' && event.event_version >= 4);
}

/**
 * Reads an assigning event as the assignments it carries: one in `task.assigned` up to v2
 * and in `task.created` v4, a popug's batch in `task.assigned` v3.
 */
export function readTaskAssignments(event: AssigningEvent): TaskAssignment[] {
  if (event.event_name === 'task.created') {
    const { data } = event;
    return [
      {
        taskId: data.task_id,
        assignmentId: data.assignment_id,
        assigneeId: data.assignee_id,
        assignFee: data.assign_fee,
        cause: 'created',
        assignedAt: data.created_at,
      },
    ];
  }
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
