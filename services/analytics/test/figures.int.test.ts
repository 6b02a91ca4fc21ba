import {
  createEvent,
  type Envelope,
  TaskCompletedV1,
  TaskCreatedV1,
  TaskCreatedV2,
  TransactionAppliedV1,
} from '@ates/contracts';
import { type EventBus, PostgresLogBus } from '@ates/platform/bus';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtes, type TestAccount, type TestAtes, waitForDirectory } from '../../../tools/test/ates.ts';
import { busMessageOf } from '../../../tools/test/busMessageOf.ts';
import { waitFor } from '../../../tools/test/waitFor.ts';
import { accountingService } from '../../accounting/src/service.ts';
import { tasksService } from '../../tasks/src/service.ts';
import { analyticsService } from '../src/service.ts';

let ates: TestAtes;
let bus: EventBus;
let worker: TestAccount;
let manager: TestAccount;

const analytics = (path: string, who: TestAccount | undefined = ates.admin, method = 'GET') =>
  ates.call('analytics', method, path, who?.token);
const caughtUp = () => waitFor('analytics to catch up', async () => (await bus.lag('analytics')) === 0);
const outboxEmpty = async (service: string) =>
  (await ates.services[service]!.context.pool.query('SELECT 1 FROM ates_outbox LIMIT 1')).rowCount === 0;
/** Nothing left in flight anywhere: tasks -> ledger -> analytics. */
const settled = () =>
  waitFor(
    'every event to reach analytics',
    async () =>
      (await outboxEmpty('tasks')) &&
      (await bus.lag('accounting.ledger')) === 0 &&
      (await outboxEmpty('accounting')) &&
      (await bus.lag('analytics')) === 0,
    90_000,
  );
const someone = uuidv7();

async function publish(events: Envelope[]): Promise<void> {
  await bus.publish(events.map(busMessageOf));
}

function completedTask(
  title: string,
  jiraId: string | null,
  reward: number,
  completedAt: string,
  version: 1 | 2 = 2,
): Envelope[] {
  const taskId = uuidv7();
  const base = {
    task_id: taskId,
    description: '',
    creator_id: someone,
    assignee_id: someone,
    assign_fee: 1_000,
    completion_reward: reward,
    created_at: completedAt,
  };
  const created =
    version === 2
      ? createEvent(TaskCreatedV2, { ...base, title, jira_id: jiraId }, { aggregateId: taskId })
      : createEvent(
          TaskCreatedV1,
          { ...base, title: jiraId ? `[${jiraId}] ${title}` : title },
          { aggregateId: taskId },
        );
  return [
    created,
    createEvent(
      TaskCompletedV1,
      { task_id: taskId, assignee_id: someone, completion_reward: reward, completed_at: completedAt },
      { aggregateId: taskId },
    ),
  ];
}

function posting(
  account: string,
  kind: 'fee' | 'reward' | 'payout',
  amount: number,
  balanceAfter: number,
  businessDay: string,
  appliedAt: string,
): Envelope {
  return createEvent(
    TransactionAppliedV1,
    {
      transaction_id: uuidv7(),
      account_id: account,
      kind,
      amount,
      balance_after: balanceAfter,
      task_id: null,
      business_day: businessDay,
      applied_at: appliedAt,
    },
    { aggregateId: account },
  );
}

beforeAll(async () => {
  // New York: UTC−5 until 8 March 2026, UTC−4 after; days, weeks and months end at local midnight.
  ates = await startAtes([tasksService, accountingService, analyticsService], {
    ATES_TIME_ZONE: 'America/New_York',
    ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
  });
  bus = await PostgresLogBus.connect(ates.env['BUS_DATABASE_URL']!);
  worker = await ates.account('worker');
  manager = await ates.account('manager');
  // Tasks can only be given to a popug the tasks service has heard of.
  await waitForDirectory(ates.services['tasks']!, [worker.id, manager.id]);
  const x = uuidv7();
  const y = uuidv7();
  await publish([
    ...completedTask('Late on the 28th', 'UBERPOP-1', 2_800, '2026-03-01T04:30:00Z'),
    ...completedTask('Just after midnight', 'UBERPOP-2', 2_300, '2026-03-01T05:30:00Z', 1),
    ...completedTask('The big Monday one', 'UBERPOP-3', 3_800, '2026-03-02T12:00:00Z'),
    ...completedTask('Tuesday', null, 2_800, '2026-03-03T12:00:00Z'),
    ...completedTask('Cheaper Tuesday', null, 2_000, '2026-03-03T13:00:00Z'),
    ...completedTask('End of March, local', 'UBERPOP-5', 4_000, '2026-04-01T03:00:00Z'),
    ...completedTask('First of April, local', 'UBERPOP-6', 3_950, '2026-04-01T04:30:00Z'),
    posting(x, 'fee', -1_500, -1_500, '2026-03-01', '2026-03-01T15:00:00Z'),
    posting(x, 'reward', 2_300, 800, '2026-03-01', '2026-03-01T16:00:00Z'),
    posting(x, 'payout', -800, 0, '2026-03-01', '2026-03-02T05:00:00Z'),
    posting(x, 'fee', -1_000, -1_000, '2026-03-02', '2026-03-02T15:00:00Z'),
    posting(y, 'fee', -1_200, -100, '2026-03-02', '2026-03-02T17:00:00Z'),
    // Older than what is already known of y: must not bring back its old balance.
    posting(y, 'reward', 1_100, 1_100, '2026-03-02', '2026-03-02T16:00:00Z'),
  ]);
  await caughtUp();
});
afterAll(() => bus.close());

describe('the most expensive task', () => {
  it('answers for a day, its Monday-to-Sunday week and its month, in local time', async () => {
    const { body } = await analytics('/api/summary?day=2026-03-03');
    expect(body.most_expensive.day).toMatchObject({
      from: '2026-03-03',
      to: '2026-03-03',
      task: { day: '2026-03-03', reward: 2_800, title: 'Tuesday' },
    });
    expect(body.most_expensive.week).toMatchObject({
      from: '2026-03-02',
      to: '2026-03-08',
      task: { day: '2026-03-02', reward: 3_800, title: 'The big Monday one', jira_id: 'UBERPOP-3' },
    });
    expect(body.most_expensive.month).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-31',
      task: { day: '2026-03-31', reward: 4_000, title: 'End of March, local' },
    });
  });

  it('puts a completion just before local midnight on the earlier day', async () => {
    const sunday = (await analytics('/api/summary?day=2026-03-01')).body;
    expect(sunday.most_expensive.day.task).toMatchObject({
      reward: 2_300,
      title: 'Just after midnight',
      jira_id: 'UBERPOP-2',
    });
    expect(sunday.most_expensive.week).toMatchObject({
      from: '2026-02-23',
      to: '2026-03-01',
      task: { day: '2026-02-28', reward: 2_800 },
    });
    expect(sunday.most_expensive.month.task).toMatchObject({ day: '2026-03-31', reward: 4_000 });
    const april = (await analytics('/api/summary?day=2026-04-01')).body;
    expect(april.most_expensive.month).toMatchObject({
      from: '2026-04-01',
      to: '2026-04-30',
      task: { reward: 3_950, title: 'First of April, local' },
    });
  });

  it('lists each day of a range with the best of the range, like "03.03 — 28 $, 02.03 — 38 $, 01.03 — 23 $; 01–03.03 — 38 $"', async () => {
    const { body } = await analytics('/api/most-expensive?from=2026-03-01&to=2026-03-03');
    expect(body.days.map((d: { day: string; reward: number }) => [d.day, d.reward])).toEqual([
      ['2026-03-03', 2_800],
      ['2026-03-02', 3_800],
      ['2026-03-01', 2_300],
    ]);
    expect(body.best).toMatchObject({ day: '2026-03-02', reward: 3_800 });
    expect((await analytics('/api/most-expensive?from=2025-01-01&to=2025-01-31')).body).toMatchObject({
      days: [],
      best: null,
    });
  });
});

describe('money figures', () => {
  it('counts management earnings per day from fees and rewards, not payouts', async () => {
    const { body } = await analytics('/api/earnings?from=2026-03-01&to=2026-03-03');
    expect(body.days).toEqual([
      { day: '2026-03-01', earned: 1_500 - 2_300 },
      { day: '2026-03-02', earned: 1_000 + 1_200 - 1_100 },
      { day: '2026-03-03', earned: 0 },
    ]);
  });

  it('counts the popugs whose newest balance is below zero', async () => {
    expect((await analytics('/api/summary')).body.popugs_in_the_red).toBe(2);
  });

  it('follows the real services: a task done today shows up, with today’s earnings', { timeout: 120_000 }, async () => {
    // The events published above reach the ledger too, which posts them to today: the
    // figures must have settled before they are the baseline.
    await settled();
    const before = (await analytics('/api/summary')).body;
    const created = await ates.call('tasks', 'POST', '/api/tasks', manager.token, {
      title: 'Live one',
      jira_id: 'UBERPOP-77',
    });
    const task = created.body;
    const completed = await ates.call('tasks', 'POST', `/api/tasks/${task.id}/complete`, worker.token);
    // Said first, so a refusal shows as itself rather than as a wait that never ends.
    expect([created.status, completed.status]).toEqual([201, 200]);
    const after = await waitFor(
      'the live task in analytics',
      async () => {
        const summary = (await analytics('/api/summary')).body;
        // The fee and the reward are two postings that may arrive a moment apart.
        const bothPosted = summary.earned_today - before.earned_today === task.assign_fee - task.completion_reward;
        if (summary.most_expensive.day.task?.title === 'Live one' && bothPosted) return summary;
        // What it saw last is what a timeout reports.
        throw new Error(
          `earned today ${before.earned_today} -> ${summary.earned_today} (day ${summary.today}), most expensive ${JSON.stringify(summary.most_expensive.day)}`,
        );
        // Three services and two bus hops; generous, as the suite runs the chaos test beside it.
      },
      90_000,
    );
    expect(after.most_expensive.day.task).toMatchObject({ reward: task.completion_reward, jira_id: 'UBERPOP-77' });
  });
});

describe('access and rebuild', () => {
  it('is for admins only', async () => {
    expect((await analytics('/api/summary', worker)).status).toBe(403);
    expect((await analytics('/api/summary', manager)).status).toBe(403);
    expect((await ates.call('analytics', 'GET', '/api/summary')).status).toBe(401);
    const page = await fetch(`${ates.urlOf('analytics')}/`, {
      headers: { authorization: `Bearer ${worker.token}`, accept: 'text/html' },
    });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('Only admin may do this; you are signed in as worker');
    const admin = await analytics('/');
    expect(admin.body).toContain('Popugs in the red now');
    expect((await analytics('/api/earnings?from=2026-03-05&to=2026-03-01')).body.message).toBe(
      'The range starts after it ends',
    );
  });

  it('rebuilds from the log to exactly the same figures', async () => {
    const questions = [
      '/api/summary?day=2026-03-03',
      '/api/summary',
      '/api/most-expensive?from=2026-02-01&to=2026-04-30',
      '/api/earnings?from=2026-02-25&to=2026-04-05',
    ];
    const live = await Promise.all(questions.map(async (question) => (await analytics(question)).body));
    const { rows: before } = await ates.services['analytics']!.context.pool.query(
      'SELECT count(*)::int AS n FROM completed_tasks',
    );
    expect((await analytics('/api/rebuild', ates.admin, 'POST')).status).toBe(200);
    await waitFor(
      'the replay',
      async () =>
        (await bus.lag('analytics')) === 0 &&
        (await ates.services['analytics']!.context.pool.query('SELECT count(*)::int AS n FROM completed_tasks')).rows[0]
          .n === before[0].n,
    );
    const rebuilt = await Promise.all(questions.map(async (question) => (await analytics(question)).body));
    expect(rebuilt).toEqual(live);
  });

  it('asks before rebuilding from the dashboard', async () => {
    expect((await analytics('/rebuild')).body).toContain('<h1>Rebuild every figure from the event log?</h1>');
  });

  it('keeps every figure while it asks', async () => {
    const figures = async () =>
      (await ates.services['analytics']!.context.pool.query('SELECT count(*)::int AS n FROM completed_tasks')).rows[0]
        .n;
    const before = await figures();
    await analytics('/rebuild');
    expect(await figures()).toBe(before);
  });
});
