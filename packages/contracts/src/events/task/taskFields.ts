import { Type } from '@sinclair/typebox';
import { Field, taskPrices } from '../../defineEvent.ts';

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

/**
 * The v1 task events (and task.created v2) were published before their prices had
 * bounds; consumers hold them to the same bounds as the versions after them, so a
 * price no producer could have set is refused the same way by every consumer.
 */
export function pricesWithinBounds(data: { assign_fee?: number; completion_reward?: number }): string | undefined {
  const outside = (field: string, value: number | undefined, bounds: { minimum: number; maximum: number }) =>
    value !== undefined && (value < bounds.minimum || value > bounds.maximum)
      ? `/data/${field} must be between ${bounds.minimum} and ${bounds.maximum} cents, got ${value}`
      : undefined;
  return (
    outside('assign_fee', data.assign_fee, taskPrices.assignFee) ??
    outside('completion_reward', data.completion_reward, taskPrices.completionReward)
  );
}

/** The task fields of the versions that publish the price bounds in their schema. */
export const boundedTaskFields = {
  ...taskFields,
  assign_fee: Field.assignFee('Taken from the assignee on every assignment, in cents (10–20 $)'),
  completion_reward: Field.completionReward('Paid to the assignee on completion, in cents (20–40 $)'),
};
