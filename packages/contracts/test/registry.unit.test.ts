import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  asyncApiDocument,
  createEvent,
  decodeEnvelope,
  eventCatalogMarkdown,
  InvalidEventError,
  isAssigningEvent,
  partitionKeyOf,
  publishedSchema,
  readTaskAssignments,
  readTaskCreated,
  registry,
  schemaKey,
  TaskCreatedV1,
  TaskCreatedV2,
  TaskCreatedV4,
  validateEnvelope,
} from '../src/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const snapshotFiles = readdirSync(join(root, 'schemas')).filter((file) => file.endsWith('.json'));

const taskId = '0191f0a4-8a4c-7b0e-9a3e-1c2d3e4f5a6b';
const accountId = '0191f0a4-8a4c-7b0e-9a3e-000000000001';
const taskData = {
  task_id: taskId,
  title: 'Fix the beak scanner',
  jira_id: 'UBERPOP-42',
  description: 'It reads round beaks as square',
  creator_id: accountId,
  assignee_id: accountId,
  assign_fee: 1500,
  completion_reward: 3200,
  created_at: '2026-03-01T10:00:00.000Z',
};

describe('schema registry', () => {
  it.each(registry.map((definition) => [schemaKey(definition.name, definition.version), definition] as const))(
    '%s is unchanged since it was published',
    (key, definition) => {
      const frozen = JSON.parse(readFileSync(join(root, 'schemas', `${key}.json`), 'utf8')) as object;
      expect(publishedSchema(definition), `${key} changed after publication: add a new version instead`).toEqual(
        frozen,
      );
    },
  );

  it('still registers every version that was ever published', () => {
    const registered = new Set(registry.map((definition) => `${schemaKey(definition.name, definition.version)}.json`));
    expect(snapshotFiles.filter((file) => !registered.has(file))).toEqual([]);
    expect(snapshotFiles).toHaveLength(registry.length);
  });

  it('catches a breaking edit of a published version', () => {
    const edited = { ...TaskCreatedV2, data: TaskCreatedV1.data };
    const frozen = JSON.parse(readFileSync(join(root, 'schemas', 'task.created.v2.json'), 'utf8')) as object;
    expect(publishedSchema(edited)).not.toEqual(frozen);
  });

  it('keeps the generated AsyncAPI document and event catalog up to date', () => {
    expect(JSON.parse(readFileSync(join(root, 'asyncapi.json'), 'utf8'))).toEqual(asyncApiDocument());
    expect(readFileSync(join(root, 'EVENTS.md'), 'utf8')).toBe(eventCatalogMarkdown());
  });
});

describe('envelopes', () => {
  it('creates a valid v2 task.created with a time-ordered id', () => {
    const first = createEvent(TaskCreatedV2, taskData, { aggregateId: taskId });
    const second = createEvent(TaskCreatedV2, taskData, { aggregateId: taskId });
    expect(first).toMatchObject({
      event_name: 'task.created',
      event_version: 2,
      producer: 'tasks',
      aggregate_id: taskId,
    });
    expect(first.event_id[14]).toBe('7');
    expect(second.event_id > first.event_id).toBe(true);
    expect(validateEnvelope(JSON.parse(JSON.stringify(first)))).toMatchObject({ ok: true });
  });

  it('refuses to create an event that breaks its schema', () => {
    expect(() =>
      createEvent(TaskCreatedV2, { ...taskData, title: '[UBERPOP-42] Fix' }, { aggregateId: taskId }),
    ).toThrow(InvalidEventError);
    expect(() => createEvent(TaskCreatedV2, { ...taskData, assign_fee: 15.5 }, { aggregateId: taskId })).toThrow(
      /assign_fee must be integer/,
    );
  });

  it('still accepts v1 titles with the jira id in brackets', () => {
    const { jira_id: _dropped, ...v1 } = taskData;
    const event = createEvent(
      TaskCreatedV1,
      { ...v1, title: '[UBERPOP-42] Fix the beak scanner' },
      { aggregateId: taskId },
    );
    expect(event.event_version).toBe(1);
  });

  it.each([
    ['{not json', /^not JSON/],
    ['{"hello":"world"}', /^not an event envelope/],
    [
      JSON.stringify({ event_id: taskId, event_name: 'task.exploded', event_version: 1 }),
      /unknown event task\.exploded\.v1/,
    ],
    [
      JSON.stringify({ event_id: taskId, event_name: 'task.created', event_version: 9 }),
      /unknown event task\.created\.v9/,
    ],
  ])('says why %s is not an event', (body, reason) => {
    const result = decodeEnvelope(body);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  it('names the offending field of a wrong-typed or extended payload', () => {
    const event = createEvent(TaskCreatedV2, taskData, { aggregateId: taskId });
    const wrongType = decodeEnvelope(JSON.stringify({ ...event, data: { ...event.data, completion_reward: '32$' } }));
    const extended = decodeEnvelope(JSON.stringify({ ...event, data: { ...event.data, secret: 1 } }));
    expect(wrongType).toEqual({
      ok: false,
      reason: 'task.created.v2 does not match its schema: /data/completion_reward must be integer',
    });
    expect(extended).toEqual({
      ok: false,
      reason: "task.created.v2 does not match its schema: /data must NOT have additional properties 'secret'",
    });
  });
});

describe('producers', () => {
  it('refuses an event that claims to come from a service other than its registered producer', () => {
    const event = createEvent(TaskCreatedV2, taskData, { aggregateId: taskId });
    expect(decodeEnvelope(JSON.stringify({ ...event, producer: 'analytics' }))).toEqual({
      ok: false,
      reason: 'task.created.v2 is published by tasks alone; this one says it came from analytics',
    });
  });
});

describe('task prices within the business bounds', () => {
  const assigned = {
    task_id: taskId,
    assignment_id: taskId,
    assignee_id: accountId,
    assign_fee: 1_500,
    cause: 'created',
    assigned_at: '2026-03-01T10:00:00.000Z',
  };
  const completed = {
    task_id: taskId,
    assignee_id: accountId,
    completion_reward: 3_200,
    completed_at: '2026-03-01T10:00:00.000Z',
  };
  const { jira_id: _dropped, ...createdV1 } = taskData;
  const envelope = (name: string, version: number, data: object) =>
    JSON.stringify({
      event_id: taskId,
      event_name: name,
      event_version: version,
      producer: 'tasks',
      occurred_at: '2026-03-01T10:00:00.000Z',
      aggregate_id: taskId,
      trace_id: 't',
      data,
    });

  it.each([
    [
      'task.assigned',
      1,
      { ...assigned, assign_fee: 999 },
      'task.assigned.v1 breaks a business rule: /data/assign_fee must be between 1000 and 2000 cents, got 999',
    ],
    [
      'task.completed',
      1,
      { ...completed, completion_reward: 3_000_000_000 },
      'task.completed.v1 breaks a business rule: /data/completion_reward must be between 2000 and 4000 cents, got 3000000000',
    ],
    [
      'task.created',
      1,
      { ...createdV1, assign_fee: 2_001 },
      'task.created.v1 breaks a business rule: /data/assign_fee must be between 1000 and 2000 cents, got 2001',
    ],
    [
      'task.created',
      2,
      { ...taskData, completion_reward: 1_999 },
      'task.created.v2 breaks a business rule: /data/completion_reward must be between 2000 and 4000 cents, got 1999',
    ],
    [
      'task.assigned',
      2,
      { ...assigned, assign_fee: 2_001 },
      'task.assigned.v2 does not match its schema: /data/assign_fee must be <= 2000',
    ],
    [
      'task.completed',
      2,
      { ...completed, completion_reward: 4_001 },
      'task.completed.v2 does not match its schema: /data/completion_reward must be <= 4000',
    ],
    [
      'task.created',
      3,
      { ...taskData, assign_fee: 999 },
      'task.created.v3 does not match its schema: /data/assign_fee must be >= 1000',
    ],
  ])('refuses %s v%s with a price out of bounds', (name, version, data, reason) => {
    expect(decodeEnvelope(envelope(name, version, data))).toEqual({ ok: false, reason });
  });

  it.each([
    ['task.assigned', 1, { ...assigned, assign_fee: 1_000 }],
    ['task.assigned', 2, { ...assigned, assign_fee: 2_000 }],
    ['task.completed', 1, { ...completed, completion_reward: 4_000 }],
    ['task.completed', 2, { ...completed, completion_reward: 2_000 }],
  ])('accepts %s v%s at the edge of the bounds', (name, version, data) => {
    expect(decodeEnvelope(envelope(name, version, data)).ok).toBe(true);
  });
});

describe('reading task.created of either version', () => {
  it('splits the jira id out of a v1 title and reads v2 as it is', async () => {
    const { readTaskCreated } = await import('../src/index.ts');
    const { jira_id: _dropped, ...v1Data } = taskData;
    const v1 = createEvent(
      TaskCreatedV1,
      { ...v1Data, title: '[UBERPOP-42] Fix the beak scanner' },
      { aggregateId: taskId },
    );
    const v2 = createEvent(TaskCreatedV2, taskData, { aggregateId: taskId });
    expect(readTaskCreated(v1)).toEqual(readTaskCreated(v2));
    expect(readTaskCreated(v1)).toMatchObject({
      title: 'Fix the beak scanner',
      jiraId: 'UBERPOP-42',
      assignFee: 1500,
      completionReward: 3200,
    });
    const plain = createEvent(TaskCreatedV1, { ...v1Data, title: 'No ticket here' }, { aggregateId: taskId });
    expect(readTaskCreated(plain)).toMatchObject({ title: 'No ticket here', jiraId: null });
  });
});

describe('task.created v4, a new task and its first assignment', () => {
  const assignmentId = '0191f0a4-8a4c-7b0e-9a3e-00000000a001';
  const v4 = () => createEvent(TaskCreatedV4, { ...taskData, assignment_id: assignmentId }, { aggregateId: taskId });

  it('reads as the task, like the versions before it', () => {
    expect(readTaskCreated(v4())).toEqual(
      readTaskCreated(createEvent(TaskCreatedV2, taskData, { aggregateId: taskId })),
    );
  });

  it('reads as one assignment, made at creation', () => {
    expect(isAssigningEvent(v4())).toBe(true);
    expect(readTaskAssignments(v4())).toEqual([
      {
        taskId,
        assignmentId,
        assigneeId: accountId,
        assignFee: 1500,
        cause: 'created',
        assignedAt: taskData.created_at,
      },
    ]);
  });

  it('is not an assignment in the versions before it', () => {
    expect(isAssigningEvent(createEvent(TaskCreatedV2, taskData, { aggregateId: taskId }))).toBe(false);
  });

  it('is partitioned by the assignee whose fee it moves', () => {
    expect(partitionKeyOf(v4())).toBe(accountId);
  });
});
