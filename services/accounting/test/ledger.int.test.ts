import { randomInt } from 'node:crypto';
import {
  AccountCreatedV1,
  createEvent,
  type Envelope,
  isAssigningEvent,
  readTaskAssignments,
  TaskAssignedV1,
  TaskAssignedV3,
  TaskCompletedV1,
  TaskCompletedV2,
  TaskCreatedV1,
} from '@ates/contracts';
import { type EventBus, PostgresLogBus } from '@ates/platform/bus';
import type { RunningService } from '@ates/platform/service';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtes, type TestAccount, type TestAtes, waitForDirectory } from '../../../tools/test/ates.ts';
import { busMessageOf } from '../../../tools/test/busMessageOf.ts';
import { waitFor } from '../../../tools/test/waitFor.ts';
import { tasksService } from '../../tasks/src/service.ts';
import { sumOfAllBalances } from '../src/adapters/db/ledgerQueries.ts';
import { installCheckpointHook } from '../src/app/checkpoints.ts';
import { closeBusinessDay } from '../src/app/closeBusinessDay.ts';
import { accountingService } from '../src/service.ts';

let ates: TestAtes;
let accounting: RunningService;
let bus: EventBus;
let worker: TestAccount;
let accountant: TestAccount;
let manager: TestAccount;

const api = (method: string, path: string, who?: TestAccount, body?: unknown) =>
  ates.call('accounting', method, path, who?.token, body);
const ledger = () => accounting.context.pool;
const outboxEmpty = async (service: RunningService) =>
  (await service.context.pool.query('SELECT 1 FROM ates_outbox LIMIT 1')).rowCount === 0;
const drained = () =>
  waitFor(
    'accounting to catch up',
    async () =>
      (await outboxEmpty(ates.services['tasks']!)) &&
      (await bus.lag('accounting.ledger')) === 0 &&
      (await outboxEmpty(accounting)),
  );
const balance = async (id: string) =>
  (await ledger().query<{ balance: number }>('SELECT balance FROM ledger_accounts WHERE id = $1', [id])).rows[0]
    ?.balance ?? 0;

async function publish(events: Envelope[]): Promise<void> {
  await bus.publish(events.map(busMessageOf));
}

beforeAll(async () => {
  ates = await startAtes([tasksService, accountingService], { ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000' });
  accounting = ates.services['accounting']!;
  bus = await PostgresLogBus.connect(ates.env['BUS_DATABASE_URL']!);
  worker = await ates.account('worker', 'Worker Popug');
  accountant = await ates.account('accountant');
  manager = await ates.account('manager');
  await waitForDirectory(ates.services['tasks']!, [worker.id, accountant.id, manager.id]);
});

/** Worker and accountant can both be given tasks. */
const assigneeOf = (id: string) => [worker, accountant].find((account) => account.id === id)!;
afterAll(() => bus.close());

describe('fees and rewards', () => {
  it('takes the fee on assignment and pays the reward on completion, with an audit line naming the task', async () => {
    const { body: task } = await ates.call('tasks', 'POST', '/api/tasks', manager.token, {
      title: 'Sort the seeds',
      jira_id: 'UBERPOP-1',
      description: 'by colour',
    });
    const assignee = assigneeOf(task.assignee_id);
    await drained();
    expect(await balance(assignee.id)).toBe(-task.assign_fee);
    await ates.call('tasks', 'POST', `/api/tasks/${task.id}/complete`, assignee.token);
    await drained();
    expect(await balance(assignee.id)).toBe(task.completion_reward - task.assign_fee);
    const mine = await api('GET', '/api/me', assignee);
    expect(mine.body.balance).toBe(task.completion_reward - task.assign_fee);
    expect(
      mine.body.log.map((line: { kind: string; amount: number; task: { title: string; jira_id: string } }) => [
        line.kind,
        line.amount,
        line.task.title,
        line.task.jira_id,
      ]),
    ).toEqual([
      ['fee', -task.assign_fee, 'Sort the seeds', 'UBERPOP-1'],
      ['reward', task.completion_reward, 'Sort the seeds', 'UBERPOP-1'],
    ]);
    expect(await sumOfAllBalances(ledger())).toBe(0);
  });

  it('charges the fee again on every shuffle, and tells management what it earned', async () => {
    const { body: task } = await ates.call('tasks', 'POST', '/api/tasks', manager.token, { title: 'Shuffled around' });
    await ates.call('tasks', 'POST', '/api/tasks/shuffle', manager.token);
    await ates.call('tasks', 'POST', '/api/tasks/shuffle', manager.token);
    await drained();
    const assignments = (await ates.events())
      .filter(isAssigningEvent)
      .flatMap((e) => readTaskAssignments(e))
      .filter((assignment) => assignment.taskId === task.id);
    expect(assignments).toHaveLength(3);
    const charged = await ledger().query<{ employee_id: string; amount: number }>(
      "SELECT employee_id, amount FROM ledger_transfers WHERE kind = 'fee' AND task_id = $1 ORDER BY employee_id",
      [task.id],
    );
    const expected = assignments.map((assignment) => ({
      employee_id: assignment.assigneeId,
      amount: task.assign_fee,
    }));
    expect(charged.rows).toEqual(expected.sort((a, b) => a.employee_id.localeCompare(b.employee_id)));
    const earnings = await api('GET', '/api/earnings', accountant);
    const { rows } = await ledger().query<{ earned: number }>(
      "SELECT sum(CASE kind WHEN 'fee' THEN amount ELSE -amount END)::bigint AS earned FROM ledger_transfers WHERE kind <> 'payout'",
    );
    expect(earnings.body.days.at(-1).earned).toBe(rows[0]!.earned);
    expect(earnings.body.days).toHaveLength(30);
    const company = (
      await ledger().query<{ balance: number }>(
        "SELECT sum(balance)::bigint AS balance FROM ledger_accounts WHERE kind = 'company'",
      )
    ).rows[0]!.balance;
    expect(company).toBe(rows[0]!.earned);
  });

  it('announces every posting once in accounting.transaction_applied events', async () => {
    const events = (await ates.events()).filter((event) => event.event_name === 'accounting.transaction_applied');
    const announced = events.flatMap((event) =>
      (event.data as { transactions: { transaction_id: string }[] }).transactions.map((t) => t.transaction_id),
    );
    const { rows } = await ledger().query<{ id: string }>('SELECT id::text FROM ledger_transfers ORDER BY id');
    expect(announced.sort()).toEqual(rows.map((row) => row.id));
    expect(events.every((event) => event.producer === 'accounting' && event.event_version === 3)).toBe(true);
  });
});

describe('events out of order, twice, or in an old version', () => {
  it('charges an assignment that arrives before its task and its account, and only once', async () => {
    const stranger = uuidv7();
    const taskId = uuidv7();
    const assignment = createEvent(
      TaskAssignedV1,
      {
        task_id: taskId,
        assignment_id: uuidv7(),
        assignee_id: stranger,
        assign_fee: 1_234,
        cause: 'created',
        assigned_at: new Date().toISOString(),
      },
      { aggregateId: taskId },
    );
    const completion = createEvent(
      TaskCompletedV1,
      { task_id: taskId, assignee_id: stranger, completion_reward: 3_000, completed_at: new Date().toISOString() },
      { aggregateId: taskId },
    );
    const legacyCreated = createEvent(
      TaskCreatedV1,
      {
        task_id: taskId,
        title: '[UBERPOP-99] Old style',
        description: '',
        creator_id: stranger,
        assignee_id: stranger,
        assign_fee: 1_234,
        completion_reward: 3_000,
        created_at: new Date().toISOString(),
      },
      { aggregateId: taskId },
    );
    const account = createEvent(
      AccountCreatedV1,
      { account_id: stranger, email: 'late@uberpopug.test', full_name: 'Late Popug', role: 'worker', active: true },
      { aggregateId: stranger },
    );
    await publish([completion, assignment, assignment, completion]);
    await publish([{ ...assignment, event_id: uuidv7() }]);
    await publish([legacyCreated, account]);
    await drained();
    expect(await balance(stranger)).toBe(3_000 - 1_234);
    const log = await api('GET', `/api/accounts/${stranger}/log`, accountant);
    expect(
      log.body.log.map((line: { kind: string; task: { title: string; jira_id: string } }) => [
        line.kind,
        line.task.title,
        line.task.jira_id,
      ]),
    ).toEqual([
      ['reward', 'Old style', 'UBERPOP-99'],
      ['fee', 'Old style', 'UBERPOP-99'],
    ]);
    expect(await sumOfAllBalances(ledger())).toBe(0);
  });
  it('charges each assignment a task.assigned v3 carries once, however often it comes', async () => {
    const popug = uuidv7();
    const fees = [1_000, 1_500, 2_000];
    const share = createEvent(
      TaskAssignedV3,
      {
        assignee_id: popug,
        cause: 'shuffle',
        assigned_at: new Date().toISOString(),
        assignments: fees.map((assign_fee) => ({ task_id: uuidv7(), assignment_id: uuidv7(), assign_fee })),
      },
      { aggregateId: popug },
    );
    await publish([share, share]);
    await publish([{ ...share, event_id: uuidv7() }]);
    await drained();
    expect(await balance(popug)).toBe(-4_500);
    const { rows } = await ledger().query<{ task_id: string; amount: number }>(
      "SELECT task_id::text, amount FROM ledger_transfers WHERE employee_id = $1 AND kind = 'fee' ORDER BY amount",
      [popug],
    );
    expect(rows).toEqual(share.data.assignments.map(({ task_id, assign_fee }) => ({ task_id, amount: assign_fee })));
    expect(await sumOfAllBalances(ledger())).toBe(0);
  });
});

describe('closing a business day', () => {
  it('pays out positive balances, carries negative ones over, and never pays twice', async () => {
    const rich = uuidv7();
    const poor = uuidv7();
    const taskA = uuidv7();
    const taskB = uuidv7();
    const at = new Date().toISOString();
    await publish([
      createEvent(
        TaskAssignedV1,
        {
          task_id: taskA,
          assignment_id: uuidv7(),
          assignee_id: rich,
          assign_fee: 1_000,
          cause: 'created',
          assigned_at: at,
        },
        { aggregateId: taskA },
      ),
      createEvent(
        TaskCompletedV1,
        { task_id: taskA, assignee_id: rich, completion_reward: 4_000, completed_at: at },
        { aggregateId: taskA },
      ),
      createEvent(
        TaskAssignedV1,
        {
          task_id: taskB,
          assignment_id: uuidv7(),
          assignee_id: poor,
          assign_fee: 2_000,
          cause: 'created',
          assigned_at: at,
        },
        { aggregateId: taskB },
      ),
    ]);
    await drained();
    const today = accounting.context.clock.today();
    const richBefore = await balance(rich);
    const closed = await api('POST', `/api/days/${today}/close`, accountant);
    expect(closed.status).toBe(200);
    expect(closed.body.already_closed).toBe(false);
    expect(await balance(rich)).toBe(0);
    expect(await balance(poor)).toBe(-2_000);
    const log = await api('GET', `/api/accounts/${rich}/log?day=${today}`, accountant);
    expect(log.body.log.at(-1)).toMatchObject({ kind: 'payout', amount: -richBefore, balance_after: 0, task: null });

    const again = await api('POST', `/api/days/${today}/close`, ates.admin);
    expect(again.body).toMatchObject({
      already_closed: true,
      payouts: closed.body.payouts,
      paid_out: closed.body.paid_out,
    });
    const { rows } = await ledger().query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'payout' AND employee_id = $1",
      [rich],
    );
    expect(rows[0]!.n).toBe(1);
    await drained();
    type PayoutBatch = { business_day: string; payouts: { account_id: string }[] };
    const richBatches = (await ates.events())
      .filter((e) => e.event_name === 'accounting.payout_made')
      .map((e) => ({ version: e.event_version, data: e.data as PayoutBatch }))
      .filter(({ data }) => data.payouts.some((payout) => payout.account_id === rich));
    expect(
      richBatches.map(({ version, data }) => ({
        version,
        day: data.business_day,
        payouts: data.payouts.filter((payout) => payout.account_id === rich),
      })),
    ).toEqual([
      {
        version: 3,
        day: today,
        payouts: [{ payout_id: expect.any(String), account_id: rich, amount: richBefore, balance_after: 0 }],
      },
    ]);
    expect(await sumOfAllBalances(ledger())).toBe(0);
  });

  it('posts to the next day once today is closed', async () => {
    const today = accounting.context.clock.today();
    const late = uuidv7();
    const task = uuidv7();
    await publish([
      createEvent(
        TaskCompletedV1,
        { task_id: task, assignee_id: late, completion_reward: 2_500, completed_at: new Date().toISOString() },
        { aggregateId: task },
      ),
    ]);
    await drained();
    const { rows } = await ledger().query<{ day: string }>(
      "SELECT to_char(business_day, 'YYYY-MM-DD') AS day FROM ledger_transfers WHERE employee_id = $1",
      [late],
    );
    expect(rows[0]!.day > today).toBe(true);
    expect(await balance(late)).toBe(2_500);
  });

  it('finishes a close that crashed half-way without paying anyone twice or skipping anyone', async () => {
    const clock = accounting.context.clock;
    clock.advance(24 * 3_600_000);
    const day = clock.today();
    const popugs = Array.from({ length: 7 }, () => uuidv7());
    await publish(
      popugs.map((popug, index) => {
        const task = uuidv7();
        return createEvent(
          TaskCompletedV1,
          {
            task_id: task,
            assignee_id: popug,
            completion_reward: 2_000 + index,
            completed_at: new Date().toISOString(),
          },
          { aggregateId: task },
        );
      }),
    );
    await drained();
    await expect(
      closeBusinessDay(ledger(), clock, day, {
        batchSize: 3,
        onProgress: (paid) => {
          if (paid > 0) throw new Error('the power went out');
        },
      }),
    ).rejects.toThrow('the power went out');
    expect((await ledger().query('SELECT state FROM business_days WHERE day = $1', [day])).rows[0]).toEqual({
      state: 'closing',
    });
    const finished = await closeBusinessDay(ledger(), clock, day, { batchSize: 3 });
    expect(finished.alreadyClosed).toBe(false);
    for (const popug of popugs) expect(await balance(popug)).toBe(0);
    const { rows } = await ledger().query<{ employee_id: string; n: number }>(
      "SELECT employee_id, count(*)::int AS n FROM ledger_transfers WHERE kind = 'payout' AND business_day = $1 GROUP BY 1",
      [day],
    );
    expect(rows.filter((row) => popugs.includes(row.employee_id)).map((row) => row.n)).toEqual(popugs.map(() => 1));
    expect(await sumOfAllBalances(ledger())).toBe(0);
  });

  it('refuses to close a day that has not begun', async () => {
    expect(await api('POST', '/api/days/2999-01-01/close', accountant)).toMatchObject({
      status: 409,
      body: { message: '2999-01-01 has not begun yet: only today or earlier days can be closed' },
    });
    expect((await api('POST', '/api/days/yesterday/close', accountant)).status).toBe(400);
  });
});

const day = 24 * 3_600_000;

/** A reward posted to whatever business day is open now. */
async function earn(popug: string, cents: number): Promise<void> {
  const task = uuidv7();
  await publish([
    createEvent(
      TaskCompletedV2,
      { task_id: task, assignee_id: popug, completion_reward: cents, completed_at: new Date().toISOString() },
      { aggregateId: task },
    ),
  ]);
  await drained();
}

const payoutsOf = async (popug: string) =>
  (
    await ledger().query<{ day: string; amount: number }>(
      "SELECT to_char(business_day, 'YYYY-MM-DD') AS day, amount FROM ledger_transfers WHERE kind = 'payout' AND employee_id = $1 ORDER BY business_day",
      [popug],
    )
  ).rows;

/** A popug who earned 30.00 on a fresh business day; the clock has moved on to the next day. */
async function popugWhoEarnedOnADay(): Promise<{ popug: string; first: string }> {
  const clock = accounting.context.clock;
  clock.advance(2 * day);
  const first = clock.today();
  const popug = uuidv7();
  await earn(popug, 3_000);
  clock.advance(day);
  return { popug, first };
}

describe('closing days in any order', () => {
  it('pays what was earned up to the end of the day, leaving later earnings for their own day', async () => {
    const { popug, first } = await popugWhoEarnedOnADay();
    await earn(popug, 2_000);
    await closeBusinessDay(ledger(), accounting.context.clock, first);
    expect(await payoutsOf(popug)).toEqual([{ day: first, amount: 3_000 }]);
    expect(await balance(popug)).toBe(2_000);
  });

  it('pays earnings once when a later day is closed while an earlier close is under way', async () => {
    const clock = accounting.context.clock;
    const { popug, first } = await popugWhoEarnedOnADay();
    const second = clock.today();
    await earn(popug, 2_000);
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const reachedPause = new Promise<void>((resolve) => (reached = resolve));
    const remove = installCheckpointHook(async (point) => {
      if (point !== 'close.opened') return;
      reached();
      await paused;
    });
    try {
      const slow = closeBusinessDay(ledger(), clock, first);
      await reachedPause;
      remove();
      await closeBusinessDay(ledger(), clock, second);
      release();
      await slow;
    } finally {
      remove();
      release();
    }
    expect(await payoutsOf(popug)).toEqual([{ day: second, amount: 5_000 }]);
    expect(await balance(popug)).toBe(0);
  });

  it('finishes a close a crash interrupted after a later day was closed', async () => {
    const clock = accounting.context.clock;
    const { popug, first } = await popugWhoEarnedOnADay();
    const remove = installCheckpointHook(async (point) => {
      if (point === 'close.batch.locked') throw new Error('the power went out');
    });
    await expect(closeBusinessDay(ledger(), clock, first)).rejects.toThrow('the power went out');
    remove();
    await earn(popug, 2_000);
    const second = clock.today();
    await closeBusinessDay(ledger(), clock, second);
    const resumed = await closeBusinessDay(ledger(), clock, first);
    expect(resumed).toMatchObject({ day: first, alreadyClosed: false });
    expect(await payoutsOf(popug)).toEqual([{ day: second, amount: 5_000 }]);
    expect((await ledger().query('SELECT state FROM business_days WHERE day = $1', [first])).rows).toEqual([
      { state: 'closed' },
    ]);
  });

  it('refuses to close a day before the ledger’s first posting', async () => {
    const refused = await api('POST', '/api/days/2000-01-01/close', accountant);
    expect(refused).toMatchObject({
      status: 409,
      body: { message: expect.stringMatching(/^2000-01-01 is before the ledger's first posting/) },
    });
  });
});

describe('after an early close', () => {
  it('shows the popug the open business day, where the new postings went', async () => {
    const clock = accounting.context.clock;
    clock.advance(2 * day);
    const today = clock.today();
    await earn(worker.id, 2_200);
    await api('POST', `/api/days/${today}/close`, accountant);
    await earn(worker.id, 3_300);
    const mine = await api('GET', '/api/me', worker);
    expect(mine.body.day > today).toBe(true);
    expect(
      mine.body.log.map((line: { amount: number; balance_after: number }) => [line.amount, line.balance_after]),
    ).toEqual([[3_300, mine.body.balance]]);
  });
});

describe('prices outside the business bounds', () => {
  it('dead-letters a reward no producer could set, and posts nothing for it', async () => {
    const popug = uuidv7();
    const task = uuidv7();
    const valid = createEvent(
      TaskCompletedV1,
      { task_id: task, assignee_id: popug, completion_reward: 3_000, completed_at: new Date().toISOString() },
      { aggregateId: task },
    );
    const hostile = { ...valid, data: { ...valid.data, completion_reward: 3_000_000_000 } };
    await publish([hostile]);
    const letter = await waitFor('the event to be put aside', async () => {
      const { rows } = await ledger().query<{ reason: string }>(
        'SELECT reason FROM ates_dead_letters WHERE event_id = $1',
        [hostile.event_id],
      );
      return rows[0];
    });
    expect(letter.reason).toBe(
      'task.completed.v1 breaks a business rule: /data/completion_reward must be between 2000 and 4000 cents, got 3000000000',
    );
    expect(await balance(popug)).toBe(0);
  });
});

describe('who sees what', () => {
  it('shows workers only their own account', async () => {
    expect((await api('GET', '/api/accounts', worker)).status).toBe(403);
    expect((await api('GET', `/api/accounts/${accountant.id}/log`, worker)).status).toBe(403);
    expect((await api('POST', '/api/days/2020-01-01/close', worker)).status).toBe(403);
    const page = await api('GET', '/', worker);
    expect(page.body).toContain('<h1>My balance</h1>');
    expect(page.body).not.toContain('Close day');
  });

  it('gives managers a clear 403 for the admin views, and admins and accountants the overview', async () => {
    const forbidden = await fetch(`${ates.urlOf('accounting')}/api/earnings`, {
      headers: { authorization: `Bearer ${manager.token}`, accept: 'text/html' },
    });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toContain('Only admin or accountant may do this; you are signed in as manager');
    for (const who of [accountant, ates.admin]) {
      const overview = await api('GET', '/', who);
      expect(overview.status).toBe(200);
      expect(overview.body).toContain('Top management earned');
      expect(overview.body).toContain('<figure class="chart" role="img" aria-label="Management earnings per day');
    }
    expect((await api('GET', '/api/earnings?from=2026-13-01', accountant)).status).toBe(400);
  });
});

describe('the dashboard', () => {
  it('shows when each audit line happened, in the business time zone and naming it', async () => {
    const page = await api('GET', '/', worker);
    expect(page.body).toMatch(/<td data-label="Time">\d\d:\d\d:\d\d UTC<\/td>/);
  });

  it('asks before closing a day, naming the day', async () => {
    const page = await api('GET', '/close-day?day=2031-02-03', accountant);
    expect(page.body).toContain('<h1>Close the business day 2031-02-03?</h1>');
  });

  it('closes nothing while it asks', async () => {
    await api('GET', '/close-day?day=2031-02-04', accountant);
    const days = (await api('GET', '/api/days', accountant)).body.days as { day: string }[];
    expect(days.map((day) => day.day)).not.toContain('2031-02-04');
  });

  it('does not ask a worker', async () => {
    expect((await api('GET', '/close-day', worker)).status).toBe(403);
  });
});

describe('the ledger under random interleavings', () => {
  it('keeps every invariant whatever the order, duplicates and day closes', async () => {
    const clock = accounting.context.clock;
    const popugs = Array.from({ length: 6 }, () => uuidv7());
    const tasks = Array.from({ length: 25 }, () => ({
      id: uuidv7(),
      fee: randomInt(1_000, 2_001),
      reward: randomInt(2_000, 4_001),
    }));
    const events: Envelope[] = [];
    for (const task of tasks) {
      const assignments = randomInt(1, 4);
      let assignee = popugs[0]!;
      for (let n = 0; n < assignments; n += 1) {
        assignee = popugs[randomInt(popugs.length)]!;
        events.push(
          createEvent(
            TaskAssignedV1,
            {
              task_id: task.id,
              assignment_id: uuidv7(),
              assignee_id: assignee,
              assign_fee: task.fee,
              cause: n === 0 ? 'created' : 'shuffle',
              assigned_at: new Date().toISOString(),
            },
            { aggregateId: task.id },
          ),
        );
      }
      if (randomInt(3) > 0)
        events.push(
          createEvent(
            TaskCompletedV1,
            {
              task_id: task.id,
              assignee_id: assignee,
              completion_reward: task.reward,
              completed_at: new Date().toISOString(),
            },
            { aggregateId: task.id },
          ),
        );
    }
    const withDuplicates = [...events, ...events.filter(() => randomInt(3) === 0)];
    for (let index = withDuplicates.length - 1; index > 0; index -= 1) {
      const other = randomInt(index + 1);
      [withDuplicates[index], withDuplicates[other]] = [withDuplicates[other]!, withDuplicates[index]!];
    }
    for (let start = 0; start < withDuplicates.length; start += 10) {
      await publish(withDuplicates.slice(start, start + 10));
      if (randomInt(3) === 0) {
        // Two closes of the same day at once, while events keep arriving.
        const day = clock.today();
        await Promise.all([closeBusinessDay(ledger(), clock, day), closeBusinessDay(ledger(), clock, day)]);
        clock.advance(24 * 3_600_000);
      }
    }
    await drained();

    const db = ledger();
    expect(await sumOfAllBalances(db)).toBe(0);
    const assignments = events.filter((e) => e.event_name === 'task.assigned');
    const fees = await db.query<{ n: number; keys: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT idempotency_key)::int AS keys FROM ledger_transfers WHERE kind = 'fee' AND employee_id = ANY($1::uuid[])",
      [popugs],
    );
    expect(fees.rows[0]).toEqual({ n: assignments.length, keys: assignments.length });
    const rewards = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'reward' AND employee_id = ANY($1::uuid[])",
      [popugs],
    );
    expect(rewards.rows[0]!.n).toBe(events.filter((e) => e.event_name === 'task.completed').length);
    const payouts = await db.query(
      "SELECT employee_id, business_day FROM ledger_transfers WHERE kind = 'payout' GROUP BY 1, 2 HAVING count(*) > 1",
    );
    expect(payouts.rows).toEqual([]);
    const mismatched = await db.query(
      `SELECT a.id FROM ledger_accounts a
       LEFT JOIN (SELECT account, sum(change) AS total FROM (
         SELECT to_account AS account, amount AS change FROM ledger_transfers UNION ALL SELECT from_account, -amount FROM ledger_transfers) moves GROUP BY account) m ON m.account = a.id
       WHERE a.balance <> coalesce(m.total, 0)`,
    );
    expect(mismatched.rows).toEqual([]);
  });
});
