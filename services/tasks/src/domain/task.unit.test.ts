import { RuleBroken } from '@ates/platform/errors';
import { describe, expect, it } from 'vitest';
import { checkCompletion, checkNewTask } from './task.ts';

const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof RuleBroken) return { kind: error.kind, message: error.message };
    throw error;
  }
  return undefined;
};

describe('a new task', () => {
  it('is trimmed, with its jira id in capitals', () => {
    expect(checkNewTask({ title: '  Fix the perch ', jiraId: ' uberpop-42 ', description: ' wobbly ' })).toEqual({
      title: 'Fix the perch',
      jiraId: 'UBERPOP-42',
      description: 'wobbly',
    });
  });

  it('may have no jira id and no description', () => {
    expect(checkNewTask({ title: 'Sort seeds', jiraId: '' })).toEqual({
      title: 'Sort seeds',
      jiraId: null,
      description: '',
    });
  });

  it.each([
    ['an empty title', { title: '   ' }, 'The title must not be empty'],
    ['a title of 201 characters', { title: 'x'.repeat(201) }, 'The title must have at most 200 characters'],
    [
      'brackets in the title',
      { title: '[UBERPOP-42] Fix' },
      'The title must not contain [ or ]: put the jira id (e.g. UBERPOP-42) in its own field',
    ],
    [
      'a jira id of another shape',
      { title: 'Fix', jiraId: '42-UBERPOP' },
      '"42-UBERPOP" is not a jira id: it looks like UBERPOP-42',
    ],
    [
      'a description over 10 000 characters',
      { title: 'Fix', description: 'x'.repeat(10_001) },
      'The description must have at most 10 000 characters',
    ],
  ])('refuses %s', (_what, fields, message) => {
    expect(refusal(() => checkNewTask(fields))).toEqual({ kind: 'invalid', message });
  });
});

describe('completing a task', () => {
  it('is for its assignee', () => {
    expect(refusal(() => checkCompletion({ status: 'open', assigneeId: 'a' }, 'a'))).toBeUndefined();
  });

  it('is forbidden to anyone else', () => {
    expect(refusal(() => checkCompletion({ status: 'open', assigneeId: 'a' }, 'b'))).toEqual({
      kind: 'forbidden',
      message: 'Only the assignee can mark this task done',
    });
  });

  it('happens once', () => {
    expect(refusal(() => checkCompletion({ status: 'done', assigneeId: 'a' }, 'a'))).toEqual({
      kind: 'conflict',
      message: 'This task is already done',
    });
  });
});
