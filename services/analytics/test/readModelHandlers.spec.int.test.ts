import { createEvent, TaskCreatedV3, TransactionAppliedV2, TransactionAppliedV3 } from '@ates/contracts';
import { BusinessClock } from '@ates/platform/time';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerSpec } from '../../../tools/test/handlerSpec.ts';
import { analyticsHandlers } from '../src/app/eventHandlers.ts';

let spec: Awaited<ReturnType<typeof handlerSpec>>;
beforeAll(async () => {
  spec = await handlerSpec({
    service: 'analytics',
    migrationsDir: new URL('../migrations', import.meta.url).pathname,
    handlers: analyticsHandlers(new BusinessClock('UTC')),
  });
});
afterAll(() => spec.close());

/** One posting as the ledger announces it, without its day and time. */
const line = (
  account: string,
  sequence: number,
  kind: 'fee' | 'reward' | 'payout',
  amount: number,
  balanceAfter: number,
) => ({
  transaction_id: uuidv7(),
  account_id: account,
  sequence,
  kind,
  amount,
  balance_after: balanceAfter,
  task_id: null,
});

const posting = (
  account: string,
  sequence: number,
  kind: 'fee' | 'reward' | 'payout',
  amount: number,
  balanceAfter: number,
  appliedAt: string,
) =>
  createEvent(
    TransactionAppliedV2,
    { ...line(account, sequence, kind, amount, balanceAfter), business_day: '2026-06-01', applied_at: appliedAt },
    { aggregateId: account },
  );

/** A task as the task tracker announces it, with only what analytics keeps of it chosen. */
const created = (taskId: string, title: string, jiraId: string | null = null) =>
  createEvent(
    TaskCreatedV3,
    {
      task_id: taskId,
      title,
      jira_id: jiraId,
      description: '',
      creator_id: taskId,
      assignee_id: taskId,
      assign_fee: 1_500,
      completion_reward: 3_000,
      created_at: '2026-06-01T09:00:00Z',
    },
    { aggregateId: taskId },
  );

describe('the analytics read model handlers', () => {
  it('given new tasks in one batch, keep the first title each was announced with', async () => {
    const [first, second] = [uuidv7(), uuidv7()];
    await spec.given(
      [created(first, 'Feed the popugs', 'UBERPOP-1'), created(second, 'Clean the cage'), created(first, 'Renamed')],
      { together: true },
    );
    expect(
      await spec.rows('SELECT task_id::text, title, jira_id FROM task_titles WHERE task_id = ANY($1) ORDER BY title', [
        [first, second],
      ]),
    ).toEqual([
      { task_id: second, title: 'Clean the cage', jira_id: null },
      { task_id: first, title: 'Feed the popugs', jira_id: 'UBERPOP-1' },
    ]);
  });

  it('given postings out of order, keep the balance of the last one the ledger applied', async () => {
    const popug = uuidv7();
    await spec.given([
      posting(popug, 2, 'fee', -1_500, -1_500, '2026-06-01T10:00:00Z'),
      posting(popug, 1, 'reward', 3_000, 0, '2026-06-01T11:00:00Z'),
    ]);
    expect(await spec.rows('SELECT balance, sequence FROM account_balances WHERE account_id = $1', [popug])).toEqual([
      { balance: -1_500, sequence: 2 },
    ]);
  });

  it('given one posting under two event ids, count management earnings once', async () => {
    const popug = uuidv7();
    const fee = createEvent(
      TransactionAppliedV2,
      {
        transaction_id: uuidv7(),
        account_id: popug,
        sequence: 1,
        kind: 'fee',
        amount: -1_300,
        balance_after: -1_300,
        task_id: null,
        business_day: '2026-06-02',
        applied_at: '2026-06-02T10:00:00Z',
      },
      { aggregateId: popug },
    );
    await spec.given([fee, { ...fee, event_id: uuidv7() }]);
    expect(await spec.rows("SELECT earned FROM daily_earnings WHERE day = '2026-06-02'")).toEqual([{ earned: 1_300 }]);
  });

  it('given a batch of postings in one event, fold each: newest balance per account, earnings once', async () => {
    const [first, second] = [uuidv7(), uuidv7()];
    const batch = createEvent(
      TransactionAppliedV3,
      {
        business_day: '2026-06-03',
        applied_at: '2026-06-03T10:00:00Z',
        transactions: [
          line(first, 1, 'fee', -1_000, -1_000),
          line(second, 1, 'fee', -1_200, -1_200),
          line(first, 2, 'reward', 3_000, 2_000),
        ],
      },
      { aggregateId: first },
    );
    await spec.given([batch, { ...batch, event_id: uuidv7() }]);
    expect(
      await spec.rows(
        'SELECT account_id::text, balance, sequence FROM account_balances WHERE account_id = ANY($1) ORDER BY balance',
        [[first, second]],
      ),
    ).toEqual([
      { account_id: second, balance: -1_200, sequence: 1 },
      { account_id: first, balance: 2_000, sequence: 2 },
    ]);
    expect(await spec.rows("SELECT earned FROM daily_earnings WHERE day = '2026-06-03'")).toEqual([{ earned: -800 }]);
  });
});
