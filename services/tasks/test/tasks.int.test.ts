import { randomUUID } from 'node:crypto';
import {
  type AssigningEvent,
  createEvent,
  type Envelope,
  isAssigningEvent,
  readTaskAssignments,
  type TaskAssignment,
  TaskCompletedV2,
} from '@ates/contracts';
import { withTransaction } from '@ates/platform/db';
import { uuidv7 } from 'uuidv7';
import { beforeAll, describe, expect, it } from 'vitest';
import { startAtes, type TestAccount, type TestAtes, waitForDirectory } from '../../../tools/test/ates.ts';
import { waitFor } from '../../../tools/test/waitFor.ts';
import { insertShuffle } from '../src/adapters/db/reassignOpenTasks.ts';
import { findTasks, insertTasksForRandomAssignees, markDoneIfUnchanged } from '../src/adapters/db/tasksTable.ts';
import { newTaskEvents } from '../src/app/createTask.ts';
import { finishShuffle, shuffleOpenTasks } from '../src/app/shuffleOpenTasks.ts';
import { unassignableRoles } from '../src/domain/roles.ts';
import type { Task } from '../src/domain/task.ts';
import { tasksService } from '../src/service.ts';

let ates: TestAtes;
let workers: TestAccount[];
let accountant: TestAccount;
let manager: TestAccount;

const tasks = (method: string, path: string, who?: TestAccount, body?: unknown) =>
  ates.call('tasks', method, path, who?.token, body);
const newTask = (who: TestAccount, title = 'Feed the parrots', extra: Record<string, unknown> = {}) =>
  tasks('POST', '/api/tasks', who, { title, ...extra });
const eventsFor = (events: Envelope[], taskId: string) => events.filter((event) => event.aggregate_id === taskId);
const openTaskIds = async () =>
  (
    await ates.services['tasks']!.context.pool.query<{ id: string }>(
      "SELECT id FROM tasks WHERE status = 'open' ORDER BY id",
    )
  ).rows.map((task) => task.id);
/** Every assignment on the bus, whichever event carried it. */
const assignments = async (): Promise<(TaskAssignment & { traceId: string })[]> =>
  (await ates.events())
    .filter(isAssigningEvent)
    .flatMap((event) => readTaskAssignments(event).map((assignment) => ({ ...assignment, traceId: event.trace_id })));
/** The tasks a shuffle reassigned, one entry per assignment on the bus, in task order, once `expected` are there. */
const shuffledTasks = async (traceId: string, expected: number) => {
  let shuffled: string[] = [];
  await waitFor(`${expected} events of the shuffle on the bus`, async () => {
    shuffled = (await assignments())
      .filter((assignment) => assignment.traceId === traceId)
      .map((assignment) => assignment.taskId)
      .sort();
    return shuffled.length >= expected;
  });
  return shuffled;
};

/** A task as createTask makes it, its assignee a placeholder for the popug the insert draws. */
function placeholderTask(): Task {
  return {
    id: uuidv7(),
    title: 'Drawn in the statement',
    jiraId: null,
    description: '',
    creatorId: manager.id,
    assigneeId: uuidv7(),
    status: 'open',
    assignFee: 1_000,
    completionReward: 2_000,
    createdAt: new Date(),
    completedAt: null,
  };
}

/**
 * Inserts `count` placeholder tasks in one statement, with `assignable` as the whole
 * numbering of popugs, in a transaction rolled back afterwards; returns the insert's
 * answers and what it wrote: each task's assignee, then its events' (in the body, and as
 * partition key), in outbox order.
 */
async function insertWithNumbering(assignable: readonly string[], count = 1) {
  const client = await ates.services['tasks']!.context.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM assignable_popugs');
    await client.query(
      'INSERT INTO assignable_popugs (slot, id) SELECT slot, id FROM unnest($1::uuid[]) WITH ORDINALITY AS a(id, slot)',
      [assignable],
    );
    const tasks = Array.from({ length: count }, placeholderTask);
    const results = await insertTasksForRandomAssignees(
      client,
      tasks.map((task) => ({ task, events: newTaskEvents(task, undefined) })),
      unassignableRoles,
    );
    const ids = tasks.map((task) => task.id);
    const { rows: written } = await client.query<{ id: string; assignee: string }>(
      'SELECT id::text, assignee_id::text AS assignee FROM tasks WHERE id = ANY($1::uuid[])',
      [ids],
    );
    const { rows: events } = await client.query<{ task: string; name: string; body: string; partition_key: string }>(
      'SELECT aggregate_id AS task, event_name AS name, body, partition_key FROM ates_outbox WHERE aggregate_id = ANY($1::text[]) ORDER BY id',
      [ids],
    );
    const assigneeInBody = (body: string) => (JSON.parse(body) as { data: { assignee_id: string } }).data.assignee_id;
    return {
      results,
      tasks: ids.flatMap((id) => written.filter((row) => row.id === id).map((row) => row.assignee)),
      events: events.map((event) => [event.task, event.name, assigneeInBody(event.body), event.partition_key]),
    };
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

beforeAll(async () => {
  ates = await startAtes([tasksService], { TASKS_SHUFFLE_RESUME_INTERVAL_MS: '200' });
});

describe('before anyone can take a task', () => {
  it('refuses to create a task without an assignee, saying why', async () => {
    await waitForDirectory(ates.services['tasks']!, [ates.admin.id]);
    expect(await newTask(ates.admin)).toEqual({
      status: 409,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'Nobody can take a task yet: there is no active popug who is not an admin or manager',
      },
    });
  });
});

describe('with popugs around', () => {
  beforeAll(async () => {
    workers = [await ates.account('worker'), await ates.account('worker'), await ates.account('worker')];
    accountant = await ates.account('accountant');
    manager = await ates.account('manager');
    await waitForDirectory(
      ates.services['tasks']!,
      [...workers, accountant, manager].map((a) => a.id),
    );
  });

  it('assigns a new task at once to a random popug who is not an admin or manager, and prices it', async () => {
    const assignable = new Set([...workers, accountant].map((a) => a.id));
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, index) => newTask(index % 2 ? manager : ates.admin, `Task ${index}`)),
    );
    for (const { status, body } of created) {
      expect(status).toBe(201);
      expect(assignable.has(body.assignee_id)).toBe(true);
      expect(body.status).toBe('open');
      expect(Number.isInteger(body.assign_fee) && body.assign_fee >= 1000 && body.assign_fee <= 2000).toBe(true);
      expect(
        Number.isInteger(body.completion_reward) && body.completion_reward >= 2000 && body.completion_reward <= 4000,
      ).toBe(true);
    }
    expect(new Set(created.map((c) => c.body.assignee_id)).size).toBeGreaterThan(1);
  });

  it('answers each of many creators at once with the task written for them, as stored and announced', async () => {
    const created = await Promise.all(Array.from({ length: 30 }, (_, n) => newTask(workers[n % 3]!, `Together ${n}`)));
    const { rows } = await ates.services['tasks']!.context.pool.query(
      `SELECT id::text, title, creator_id::text, assignee_id::text, assign_fee, completion_reward
       FROM tasks WHERE id = ANY($1::uuid[])`,
      [created.map(({ body }) => body.id)],
    );
    const stored = new Map(rows.map((row) => [row.id, row]));
    await waitFor('the tasks created together on the bus', async () => {
      const events = await ates.events();
      return created.every(({ body }) => eventsFor(events, body.id).length === 1);
    });
    const events = await ates.events();
    for (const [n, { status, body }] of created.entries()) {
      expect(status).toBe(201);
      expect(stored.get(body.id)).toEqual({
        id: body.id,
        title: `Together ${n}`,
        creator_id: workers[n % 3]!.id,
        assignee_id: body.assignee_id,
        assign_fee: body.assign_fee,
        completion_reward: body.completion_reward,
      });
      expect(eventsFor(events, body.id).map((event) => event.data)).toMatchObject([
        { title: `Together ${n}`, assignee_id: body.assignee_id, assign_fee: body.assign_fee },
      ]);
    }
  });

  it('keeps the jira id out of the title', async () => {
    const bracketed = await newTask(workers[0]!, '[UBERPOP-42] Fix button');
    expect(bracketed.status).toBe(400);
    expect(bracketed.body.message).toBe(
      'The title must not contain [ or ]: put the jira id (e.g. UBERPOP-42) in its own field',
    );
    expect((await newTask(workers[0]!, 'Fix button', { jira_id: 'not a ticket' })).body.message).toBe(
      '"not a ticket" is not a jira id: it looks like UBERPOP-42',
    );
    expect((await newTask(workers[0]!, '   ')).body.message).toBe('The title must not be empty');
    const good = await newTask(workers[0]!, 'Fix button', { jira_id: 'uberpop-42', description: 'The big one' });
    expect(good.body).toMatchObject({ title: 'Fix button', jira_id: 'UBERPOP-42', description: 'The big one' });
    expect((await tasks('POST', '/api/tasks', workers[0]!, { title: 'x', secret: 1 })).status).toBe(400);
    expect((await tasks('POST', '/api/tasks', workers[0]!, { title: 42 })).status).toBe(400);
  });

  it('publishes one task.created v4 for each new task, its first assignment included, valid against the registry', async () => {
    const { body: task } = await newTask(workers[1]!, 'Count the seeds', { jira_id: 'UBERPOP-7' });
    const events = eventsFor(await ates.events(), task.id);
    expect(events.map((e) => `${e.event_name}.v${e.event_version}`)).toEqual(['task.created.v4']);
    expect(events[0]).toMatchObject({
      producer: 'tasks',
      data: {
        title: 'Count the seeds',
        jira_id: 'UBERPOP-7',
        assignee_id: task.assignee_id,
        assign_fee: task.assign_fee,
        completion_reward: task.completion_reward,
      },
    });
    expect(readTaskAssignments(events[0] as AssigningEvent)).toEqual([
      expect.objectContaining({
        taskId: task.id,
        assigneeId: task.assignee_id,
        assignFee: task.assign_fee,
        cause: 'created',
      }),
    ]);
  });

  it('lets only the assignee mark a task done, once', async () => {
    const { body: task } = await newTask(manager, 'Polish the beak');
    const assignee = [...workers, accountant].find((a) => a.id === task.assignee_id)!;
    const other = [...workers, accountant].find((a) => a.id !== task.assignee_id)!;
    expect(await tasks('POST', `/api/tasks/${task.id}/complete`, other)).toMatchObject({
      status: 403,
      body: { message: 'Only the assignee can mark this task done' },
    });
    expect((await tasks('POST', `/api/tasks/${task.id}/complete`, manager)).status).toBe(403);
    const done = await tasks('POST', `/api/tasks/${task.id}/complete`, assignee);
    expect(done.body).toMatchObject({ status: 'done', assignee_id: assignee.id });
    expect(await tasks('POST', `/api/tasks/${task.id}/complete`, assignee)).toMatchObject({
      status: 409,
      body: { message: 'This task is already done' },
    });
    expect((await tasks('POST', '/api/tasks/0191f0a4-8a4c-7b0e-9a3e-000000000000/complete', assignee)).status).toBe(
      404,
    );
    expect((await tasks('POST', '/api/tasks/not-a-uuid/complete', assignee)).status).toBe(400);
    const completed = eventsFor(await ates.events(), task.id).filter((e) => e.event_name === 'task.completed');
    expect(completed.map((e) => e.data)).toEqual([
      {
        task_id: task.id,
        assignee_id: assignee.id,
        completion_reward: task.completion_reward,
        completed_at: expect.any(String),
      },
    ]);
  });

  it('marks a task done once when its assignee completes it twice at the same moment', async () => {
    const { body: task } = await newTask(manager, 'Sort the feathers');
    const assignee = [...workers, accountant].find((a) => a.id === task.assignee_id)!;
    const answers = await Promise.all([1, 2].map(() => tasks('POST', `/api/tasks/${task.id}/complete`, assignee)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.status === 409)!.body.message).toBe('This task is already done');
    await waitFor('the completion on the bus', async () =>
      eventsFor(await ates.events(), task.id).some((e) => e.event_name === 'task.completed'),
    );
    const completed = eventsFor(await ates.events(), task.id).filter((e) => e.event_name === 'task.completed');
    expect(completed).toHaveLength(1);
  });

  it('marks done only tasks still open and still assigned to whoever completes them, first come first done', async () => {
    const created = await Promise.all([1, 2, 3].map((n) => newTask(manager, `Checked at the write ${n}`)));
    const [reassigned, twice, kept] = created.map(({ body }) => body);
    const pool = ates.services['tasks']!.context.pool;
    // The first was given to someone else after its assignee read it.
    await pool.query('UPDATE tasks SET assignee_id = $2 WHERE id = $1', [reassigned.id, manager.id]);
    const completion = (task: { id: string; assignee_id: string }) => ({
      taskId: task.id,
      by: task.assignee_id,
      completedAt: new Date(),
      events: [
        createEvent(
          TaskCompletedV2,
          {
            task_id: task.id,
            assignee_id: task.assignee_id,
            completion_reward: 2_000,
            completed_at: new Date().toISOString(),
          },
          { aggregateId: task.id },
        ),
      ],
    });
    expect(
      await markDoneIfUnchanged(pool, [completion(reassigned), completion(twice), completion(twice), completion(kept)]),
    ).toEqual([false, true, false, true]);
    const { rows } = await pool.query<{ id: string; status: string }>(
      'SELECT id::text, status FROM tasks WHERE id = ANY($1::uuid[])',
      [[reassigned.id, twice.id, kept.id]],
    );
    const statusOf = new Map(rows.map((row) => [row.id, row.status]));
    expect([reassigned, twice, kept].map((task) => statusOf.get(task.id))).toEqual(['open', 'done', 'done']);
    let events: Envelope[] = [];
    const completions = () =>
      [reassigned, twice, kept].map(
        (task) => eventsFor(events, task.id).filter((e) => e.event_name === 'task.completed').length,
      );
    await waitFor('both completions on the bus', async () => {
      events = await ates.events();
      return completions().reduce((a, b) => a + b) >= 2;
    });
    expect(completions()).toEqual([0, 1, 1]);
  });

  it('answers each of many completions at once with its own task, done', async () => {
    const created = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => newTask(manager, `Done together ${n}`)));
    const answers = await Promise.all(
      created.map(({ body: task }) =>
        tasks(
          'POST',
          `/api/tasks/${task.id}/complete`,
          [...workers, accountant].find((a) => a.id === task.assignee_id)!,
        ),
      ),
    );
    expect(answers.map((answer) => [answer.status, answer.body.id, answer.body.status])).toEqual(
      created.map(({ body: task }) => [200, task.id, 'done']),
    );
  });

  it('reads the tasks asked for together in the order asked, in any case, and none for an unknown id', async () => {
    const created = await Promise.all([1, 2].map((n) => newTask(manager, `Read together ${n}`)));
    const [first, second] = created.map(({ body }) => body.id as string);
    const found = await findTasks(ates.services['tasks']!.context.pool, [second!, randomUUID(), first!.toUpperCase()]);
    expect(found.map((task) => task?.title)).toEqual(['Read together 2', undefined, 'Read together 1']);
  });

  it('shows each popug their own tasks', async () => {
    const mine = await tasks('GET', '/api/tasks/mine?status=open', workers[2]!);
    expect(mine.status).toBe(200);
    expect(
      mine.body.tasks.every(
        (t: { assignee_id: string; status: string }) => t.assignee_id === workers[2]!.id && t.status === 'open',
      ),
    ).toBe(true);
    const all = await tasks('GET', '/api/tasks?search=Task%201', workers[2]!);
    expect(all.body.tasks.map((t: { title: string }) => t.title).sort()).toEqual(
      ['Task 1', ...Array.from({ length: 10 }, (_, i) => `Task 1${i}`)].sort(),
    );
  });

  it('shuffles every open task among the assignable popugs, leaving done tasks alone', async () => {
    expect((await tasks('POST', '/api/tasks/shuffle', workers[0]!)).status).toBe(403);
    expect((await tasks('POST', '/api/tasks/shuffle', accountant)).status).toBe(403);
    expect((await tasks('POST', '/api/tasks/shuffle')).status).toBe(401);
    const before = await ates.services['tasks']!.context.pool.query<{
      id: string;
      assignee_id: string;
      status: string;
    }>('SELECT id, assignee_id, status FROM tasks');
    const open = before.rows.filter((t) => t.status === 'open');
    const shuffled = await tasks('POST', '/api/tasks/shuffle', manager);
    expect(shuffled).toEqual({ status: 200, body: { reassigned: open.length } });
    expect((await tasks('POST', '/api/tasks/shuffle', ates.admin)).body.reassigned).toBe(open.length);

    const after = await ates.services['tasks']!.context.pool.query<{ id: string; assignee_id: string; status: string }>(
      'SELECT id, assignee_id, status FROM tasks',
    );
    const assignable = new Set([...workers, accountant].map((a) => a.id));
    expect(after.rows.filter((t) => t.status === 'open').every((t) => assignable.has(t.assignee_id))).toBe(true);
    const doneBefore = before.rows.filter((t) => t.status === 'done');
    expect(after.rows.filter((t) => t.status === 'done')).toEqual(expect.arrayContaining(doneBefore));

    const shuffles = (await assignments()).filter((assignment) => assignment.cause === 'shuffle');
    expect(shuffles).toHaveLength(open.length * 2);
    const byTask = new Map(after.rows.map((t) => [t.id, t.assignee_id]));
    const lastAssignment = new Map(shuffles.map((assignment) => [assignment.taskId, assignment.assigneeId]));
    expect([...lastAssignment].every(([task, assignee]) => byTask.get(task) === assignee)).toBe(true);
    expect(new Set(shuffles.map((assignment) => assignment.assignmentId)).size).toBe(shuffles.length);
  });

  it('shuffles a board bigger than a chunk chunk by chunk, each open task once', async () => {
    const pool = ates.services['tasks']!.context.pool;
    const open = await openTaskIds();
    expect(open.length).toBeGreaterThan(3 * 7);
    const traceId = randomUUID();
    expect(await shuffleOpenTasks(pool, traceId, 7)).toBe(open.length);
    expect(await shuffledTasks(traceId, open.length)).toEqual(open);
    const { rows } = await pool.query(
      'SELECT reassigned, finished_at IS NOT NULL AS finished FROM shuffles WHERE trace_id = $1',
      [traceId],
    );
    expect(rows).toEqual([{ reassigned: open.length, finished: true }]);
  });

  it("announces a shuffle in task.assigned v3 events, each one popug's share, valid against the registry", async () => {
    const open = await openTaskIds();
    const traceId = randomUUID();
    expect(await shuffleOpenTasks(ates.services['tasks']!.context.pool, traceId)).toBe(open.length);
    await shuffledTasks(traceId, open.length);
    const events = (await ates.events()).filter((event) => event.trace_id === traceId);
    expect(new Set(events.map((event) => `${event.event_name}.v${event.event_version}`))).toEqual(
      new Set(['task.assigned.v3']),
    );
    const shares = events.map((event) => event.data as { assignee_id: string; assignments: unknown[] });
    expect(events.map((event) => event.aggregate_id)).toEqual(shares.map((share) => share.assignee_id));
    // One event per popug who got any: far fewer events than tasks.
    expect(new Set(shares.map((share) => share.assignee_id)).size).toBe(events.length);
    expect(events.length).toBeLessThan(open.length);
  });

  it('finishes a shuffle whose process died mid-way, each open task once', async () => {
    const pool = ates.services['tasks']!.context.pool;
    const open = await openTaskIds();
    const traceId = randomUUID();
    const { id } = await withTransaction(pool, (tx) => insertShuffle(tx, uuidv7(), traceId));
    let chunks = 0;
    expect(await finishShuffle(pool, id, { chunkSize: 5, stopped: () => chunks++ === 1 })).toBeUndefined();
    expect(await shuffledTasks(traceId, 5)).toHaveLength(5);
    // Its process is gone: nothing has moved it on for a while.
    await pool.query("UPDATE shuffles SET progressed_at = now() - interval '1 hour' WHERE id = $1", [id]);
    await waitFor('the service to finish the shuffle', async () => {
      const { rows } = await pool.query('SELECT finished_at IS NOT NULL AS finished FROM shuffles WHERE id = $1', [id]);
      return rows[0].finished;
    });
    expect(await shuffledTasks(traceId, open.length)).toEqual(open);
  });

  it('stops giving tasks to a popug who was disabled or made a manager', async () => {
    const leaving = await ates.account('worker');
    const promoted = await ates.account('worker');
    await waitForDirectory(ates.services['tasks']!, [leaving.id, promoted.id]);
    await ates.call('auth', 'PATCH', `/api/accounts/${leaving.id}`, ates.admin.token, { active: false });
    await ates.call('auth', 'PATCH', `/api/accounts/${promoted.id}`, ates.admin.token, { role: 'manager' });
    await waitFor('the directory to hear of it', async () => {
      const { rows } = await ates.services['tasks']!.context.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM directory_accounts WHERE (id = $1 AND NOT active) OR (id = $2 AND role = 'manager')",
        [leaving.id, promoted.id],
      );
      return rows[0]!.n === 2;
    });
    const created = await Promise.all(Array.from({ length: 30 }, () => newTask(manager)));
    await tasks('POST', '/api/tasks/shuffle', manager);
    const { rows } = await ates.services['tasks']!.context.pool.query(
      'SELECT 1 FROM tasks WHERE assignee_id = ANY($1::uuid[]) AND status = $2',
      [[leaving.id, promoted.id], 'open'],
    );
    expect(created.every((c) => c.status === 201)).toBe(true);
    expect(rows).toHaveLength(0);
  });

  it('keeps the popugs a task may go to numbered without gaps, as the directory changes', async () => {
    const pool = ates.services['tasks']!.context.pool;
    const { rows } = await pool.query<{ dense: boolean; same: boolean }>(
      `SELECT (SELECT count(*) = coalesce(max(slot), 0) FROM assignable_popugs) AS dense,
              (SELECT array_agg(id ORDER BY id) FROM assignable_popugs) IS NOT DISTINCT FROM
              (SELECT array_agg(id ORDER BY id) FROM directory_accounts WHERE active AND role NOT IN ('admin', 'manager')) AS same`,
    );
    expect(rows[0]).toEqual({ dense: true, same: true });
  });

  it('writes nothing, and says nobody may take it, when no popug is assignable', async () => {
    expect(await insertWithNumbering([])).toEqual({
      results: [{ assigneeId: null, anyone: false }],
      tasks: [],
      events: [],
    });
  });

  it('writes nothing when the directory no longer lets the popug drawn take tasks', async () => {
    // The numbering and the directory disagree only if one were changed without the other:
    // the insert checks the directory itself.
    expect(await insertWithNumbering([manager.id])).toEqual({
      results: [{ assigneeId: null, anyone: true }],
      tasks: [],
      events: [],
    });
  });

  it('puts the popug drawn in place of the placeholder, in the task and in its events', async () => {
    const { results, tasks: assignees, events } = await insertWithNumbering(workers.map((worker) => worker.id));
    const assignee = results[0]!.assigneeId!;
    expect(workers.map((worker) => worker.id)).toContain(assignee);
    expect(assignees).toEqual([assignee]);
    // task.created, partitioned by the assignee whose first fee it carries.
    expect(events.map(([, name, inBody, partitionKey]) => [name, inBody, partitionKey])).toEqual([
      ['task.created', assignee, assignee],
    ]);
  });

  it('writes tasks created together in one statement, each with its own draw and its own event in order', async () => {
    const {
      results,
      tasks: assignees,
      events,
    } = await insertWithNumbering(
      workers.map((worker) => worker.id),
      40,
    );
    const drawn = results.map((result) => result.assigneeId!);
    expect(assignees).toEqual(drawn);
    // 40 draws among three popugs all alike would be one chance in 3^39: each task is drawn for.
    expect(new Set(drawn).size).toBeGreaterThan(1);
    const tasksInOrder = [...new Set(events.map(([task]) => task))];
    expect(events).toEqual(tasksInOrder.map((task, n) => [task, 'task.created', drawn[n], drawn[n]]));
  });

  it('renders the dashboard with the Shuffle button only for admins and managers', async () => {
    const asWorker = await tasks('GET', '/', workers[0]!);
    expect(asWorker.status).toBe(200);
    expect(asWorker.body).toContain('<h1>Tasks</h1>');
    expect(asWorker.body).not.toContain('href="/shuffle"');
    expect((await tasks('GET', '/', manager)).body).toContain('href="/shuffle"');
    const mine = await tasks('GET', '/my', workers[0]!);
    expect(mine.body).toContain('<h1>My tasks</h1>');
    expect((await tasks('GET', '/')).status).toBe(401);
  });

  it('shows a worker only the dashboards a worker may open', async () => {
    const navigation = (await tasks('GET', '/', workers[0]!)).body.match(
      /<nav aria-label="Dashboards">(.*?)<\/nav>/s,
    )[1];
    expect([...navigation.matchAll(/>([^<]+)<\/a>/g)].map((match) => match[1])).toEqual([
      'Tasks',
      'My balance',
      'My account',
      'Mailbox',
    ]);
  });

  describe('shuffling from the dashboard', () => {
    const openTasks = async () =>
      Number(
        (
          await ates.services['tasks']!.context.pool.query<{ n: string }>(
            "SELECT count(*) AS n FROM tasks WHERE status = 'open'",
          )
        ).rows[0]!.n,
      );
    const shuffleEvents = async () =>
      (await ates.events()).filter(
        (e) => e.event_name === 'task.assigned' && (e.data as { cause: string }).cause === 'shuffle',
      ).length;

    it('asks first, saying how many open tasks would move', async () => {
      const page = await tasks('GET', '/shuffle', manager);
      expect(page.body).toContain(`<h1>Reassign all ${await openTasks()} open tasks?</h1>`);
    });

    it('moves nothing while it asks', async () => {
      const before = await shuffleEvents();
      await tasks('GET', '/shuffle', manager);
      expect(await shuffleEvents()).toBe(before);
    });

    it('says afterwards how many tasks were reassigned', async () => {
      const open = await openTasks();
      const done = await tasks('POST', '/shuffle', manager, {});
      expect(done.body).toContain(`Shuffled: ${open} open tasks reassigned.`);
    });

    it('does not ask a worker', async () => {
      expect((await tasks('GET', '/shuffle', workers[0]!)).status).toBe(403);
    });
  });
});
