import {
  createEvent,
  TaskAssignedV2,
  TaskCompletedV2,
  TaskCreatedV1,
  TaskCreatedV3,
  TaskCreatedV4,
} from '@ates/contracts';
import { BusinessClock } from '@ates/platform/time';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerSpec } from '../../../tools/test/handlerSpec.ts';
import { copyFromLines } from '../src/adapters/db/transfers.ts';
import { closeBusinessDay } from '../src/app/closeBusinessDay.ts';
import { accountingHandlers } from '../src/app/eventHandlers.ts';

let spec: Awaited<ReturnType<typeof handlerSpec>>;
beforeAll(async () => {
  spec = await handlerSpec({
    service: 'accounting',
    migrationsDir: new URL('../migrations', import.meta.url).pathname,
    handlers: accountingHandlers(new BusinessClock('UTC')),
  });
});
afterAll(() => spec.close());

const assigned = (task: string, popug: string, fee: number, assignment = uuidv7()) =>
  createEvent(
    TaskAssignedV2,
    {
      task_id: task,
      assignment_id: assignment,
      assignee_id: popug,
      assign_fee: fee,
      cause: 'created',
      assigned_at: new Date().toISOString(),
    },
    { aggregateId: task },
  );
const completed = (task: string, popug: string, reward: number) =>
  createEvent(
    TaskCompletedV2,
    { task_id: task, assignee_id: popug, completion_reward: reward, completed_at: new Date().toISOString() },
    { aggregateId: task },
  );

/** What every version of task.created carries besides its title. */
const createdFields = (task: string, popug: string, description: string) => ({
  task_id: task,
  description,
  creator_id: popug,
  assignee_id: popug,
  assign_fee: 1_000,
  completion_reward: 2_000,
  created_at: new Date().toISOString(),
});
const createdV3 = (task: string, popug: string, title: string) =>
  createEvent(
    TaskCreatedV3,
    { ...createdFields(task, popug, 'as created'), title, jira_id: 'POP-7' },
    { aggregateId: task },
  );

/** A new task as tasks publishes it since v4: created, and assigned for the first time, in one event. */
const createdV4 = (task: string, popug: string, fee: number, assignment = uuidv7()) =>
  createEvent(
    TaskCreatedV4,
    {
      ...createdFields(task, popug, 'as created'),
      assign_fee: fee,
      title: 'Sharpen the beak scanner',
      jira_id: null,
      assignment_id: assignment,
    },
    { aggregateId: task },
  );

describe('the ledger handlers', () => {
  it('given an assignment and its completion, post a fee and a reward with the balances after each', async () => {
    const [task, popug] = [uuidv7(), uuidv7()];
    await spec.given([assigned(task, popug, 1_500), completed(task, popug, 3_200)]);
    const rows = await spec.rows(
      'SELECT kind, amount, balance_after, sequence FROM ledger_transfers WHERE employee_id = $1 ORDER BY sequence',
      [popug],
    );
    expect(rows).toEqual([
      { kind: 'fee', amount: 1_500, balance_after: -1_500, sequence: 1 },
      { kind: 'reward', amount: 3_200, balance_after: 1_700, sequence: 2 },
    ]);
  });

  it('given a batch of more postings than the journal copies from, post each once in order with its balance', async () => {
    const popug = uuidv7();
    const fees = Array.from({ length: copyFromLines + 50 }, (_, index) => 1_000 + index);
    const events = fees.map((fee) => assigned(uuidv7(), popug, fee));
    await spec.given(events, { together: true });
    await spec.given(events, { together: true });
    const rows = await spec.rows(
      'SELECT amount, balance_after, sequence FROM ledger_transfers WHERE employee_id = $1 ORDER BY sequence',
      [popug],
    );
    const balanceAfter = (index: number) => -fees.slice(0, index + 1).reduce((sum, fee) => sum + fee, 0);
    expect(rows).toEqual(
      fees.map((fee, index) => ({ amount: fee, balance_after: balanceAfter(index), sequence: index + 1 })),
    );
  });

  it('given an assignment and its completion in one batch, announce both postings in one event, in order', async () => {
    const [task, popug] = [uuidv7(), uuidv7()];
    await spec.given([assigned(task, popug, 1_000), completed(task, popug, 2_000)], { together: true });
    const announced = (await spec.outgoing()).filter((event) =>
      (event.data as { transactions?: { account_id: string }[] }).transactions?.some((t) => t.account_id === popug),
    );
    expect(announced.map((event) => [event.event_name, event.event_version])).toEqual([
      ['accounting.transaction_applied', 3],
    ]);
    const { transactions } = announced[0]!.data as { transactions: { sequence: number; amount: number }[] };
    expect(transactions.map((t) => [t.sequence, t.amount])).toEqual([
      [1, -1_000],
      [2, 2_000],
    ]);
  });

  it('given new tasks in one batch, each created then assigned, announce all their fees in one event, in order', async () => {
    const popug = uuidv7();
    const tasks = [uuidv7(), uuidv7(), uuidv7()];
    await spec.given(
      tasks.flatMap((task, index) => [createdV3(task, popug, `Task ${index}`), assigned(task, popug, 1_000 + index)]),
      { together: true },
    );
    const announced = (await spec.outgoing()).filter((event) =>
      (event.data as { transactions?: { account_id: string }[] }).transactions?.some((t) => t.account_id === popug),
    );
    expect(
      announced.map((event) =>
        (event.data as { transactions: { sequence: number; amount: number }[] }).transactions.map((t) => [
          t.sequence,
          t.amount,
        ]),
      ),
    ).toEqual([
      [
        [1, -1_000],
        [2, -1_001],
        [3, -1_002],
      ],
    ]);
  });

  it('given a task.created v4, remember the task and charge its first fee, keyed by the assignment', async () => {
    const [task, popug, assignment] = [uuidv7(), uuidv7(), uuidv7()];
    await spec.given([createdV4(task, popug, 1_700, assignment)]);
    expect(await spec.rows('SELECT title, jira_id FROM known_tasks WHERE id = $1', [task])).toEqual([
      { title: 'Sharpen the beak scanner', jira_id: null },
    ]);
    expect(
      await spec.rows('SELECT kind, amount, task_id, idempotency_key FROM ledger_transfers WHERE employee_id = $1', [
        popug,
      ]),
    ).toEqual([{ kind: 'fee', amount: 1_700, task_id: task, idempotency_key: `fee:${assignment}` }]);
  });

  it('given the same task.created v4 delivered twice, charge its first fee once', async () => {
    const [task, popug] = [uuidv7(), uuidv7()];
    const event = createdV4(task, popug, 1_100);
    await spec.given([event]);
    await spec.given([event]);
    expect(await spec.rows('SELECT balance FROM ledger_accounts WHERE id = $1', [popug])).toEqual([
      { balance: -1_100 },
    ]);
  });

  it('given new tasks as task.created v4 and a shuffle in one batch, post every fee in the order it came', async () => {
    const popug = uuidv7();
    const [first, second] = [uuidv7(), uuidv7()];
    await spec.given([createdV4(first, popug, 1_000), createdV4(second, popug, 1_001), assigned(first, popug, 1_000)], {
      together: true,
    });
    expect(
      await spec.rows(
        'SELECT task_id, amount, sequence FROM ledger_transfers WHERE employee_id = $1 ORDER BY sequence',
        [popug],
      ),
    ).toEqual([
      { task_id: first, amount: 1_000, sequence: 1 },
      { task_id: second, amount: 1_001, sequence: 2 },
      { task_id: first, amount: 1_000, sequence: 3 },
    ]);
  });

  it('given two versions of a task created in one batch, remember the first', async () => {
    const [task, popug] = [uuidv7(), uuidv7()];
    const legacy = createEvent(
      TaskCreatedV1,
      { ...createdFields(task, popug, 'first seen'), title: '[POP-1] Legacy title' },
      { aggregateId: task },
    );
    await spec.given([legacy, createdV3(task, popug, 'Second title')], { together: true });
    expect(await spec.rows('SELECT title, jira_id, description FROM known_tasks WHERE id = $1', [task])).toEqual([
      { title: 'Legacy title', jira_id: 'POP-1', description: 'first seen' },
    ]);
  });

  it('given the same assignment event delivered twice, charge the fee once, without an inbox row', async () => {
    const [task, popug] = [uuidv7(), uuidv7()];
    const event = assigned(task, popug, 1_300);
    await spec.given([event]);
    await spec.given([event]);
    expect(await spec.rows('SELECT amount FROM ledger_transfers WHERE employee_id = $1', [popug])).toEqual([
      { amount: 1_300 },
    ]);
    expect(await spec.rows('SELECT event_id FROM ates_inbox WHERE event_id = $1', [event.event_id])).toEqual([]);
  });

  it('given the same assignment twice under new event ids, charge the fee once', async () => {
    const [task, popug, assignment] = [uuidv7(), uuidv7(), uuidv7()];
    await spec.given([assigned(task, popug, 1_200, assignment), assigned(task, popug, 1_200, assignment)]);
    expect(await spec.rows('SELECT count(*)::int AS n FROM ledger_transfers WHERE employee_id = $1', [popug])).toEqual([
      { n: 1 },
    ]);
  });

  it('given a completion before its assignment, post both and keep the double entry', async () => {
    const [task, popug] = [uuidv7(), uuidv7()];
    await spec.given([completed(task, popug, 2_500), assigned(task, popug, 1_100)]);
    expect(await spec.rows('SELECT balance FROM ledger_accounts WHERE id = $1', [popug])).toEqual([{ balance: 1_400 }]);
    expect(await spec.rows('SELECT sum(balance)::bigint AS total FROM ledger_accounts')).toEqual([{ total: 0 }]);
  });
});

describe('the journal names only accounts that exist', () => {
  const line = (from: string, to: string) =>
    spec.rows(
      `INSERT INTO ledger_transfers
         (id, kind, from_account, to_account, amount, employee_id, business_day, idempotency_key, occurred_at, balance_after, sequence)
       VALUES ($3::uuid, 'fee', $1, $2, 100, $3::uuid, current_date, 'fee:' || $3::text, now(), 0, 1)`,
      [from, to, uuidv7()],
    );

  it('refuses a line that names an account the ledger does not have', async () => {
    await expect(line(uuidv7(), 'company')).rejects.toThrow(/does not exist/);
  });

  it('keeps an account while journal lines name it', async () => {
    const [task, popug] = [uuidv7(), uuidv7()];
    await spec.given([assigned(task, popug, 1_500)]);
    await expect(spec.rows('DELETE FROM ledger_accounts WHERE id = $1', [popug])).rejects.toThrow(/cannot be removed/);
    await expect(spec.rows("UPDATE ledger_accounts SET id = 'elsewhere' WHERE id = $1", [popug])).rejects.toThrow(
      /cannot be removed/,
    );
    expect(await spec.rows('SELECT count(*)::int AS n FROM ledger_accounts WHERE id = $1', [popug])).toEqual([
      { n: 1 },
    ]);
  });

  it('keeps the company account whatever the journal holds', async () => {
    await expect(spec.rows("DELETE FROM ledger_accounts WHERE id = 'company'")).rejects.toThrow(/cannot be removed/);
  });
});

describe('closing a day announces its payouts', () => {
  it('in transaction_applied events of at most 250 payouts, each payout once', async () => {
    const clock = new BusinessClock('UTC');
    const popugs = Array.from({ length: 600 }, () => uuidv7());
    await spec.given(popugs.map((popug) => completed(uuidv7(), popug, 2_000)));
    await spec.rows('TRUNCATE ates_outbox');
    await closeBusinessDay(spec.pool, clock, clock.today());
    const announced = (await spec.outgoing()).filter((event) => event.event_name === 'accounting.transaction_applied');
    const payouts = announced.flatMap(
      (event) => (event.data as { transactions: { account_id: string; kind: string }[] }).transactions,
    );
    expect(Math.max(...announced.map((event) => (event.data as { transactions: unknown[] }).transactions.length))).toBe(
      250,
    );
    expect(payouts.filter((payout) => popugs.includes(payout.account_id)).map((payout) => payout.kind)).toEqual(
      popugs.map(() => 'payout'),
    );
    expect(new Set(payouts.map((payout) => payout.account_id)).size).toBe(payouts.length);
  });
});
