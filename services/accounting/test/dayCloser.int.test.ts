import { createEvent, TaskCompletedV2 } from '@ates/contracts';
import { type EventBus, PostgresLogBus } from '@ates/platform/bus';
import type { RunningService } from '@ates/platform/service';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtes, type TestAtes } from '../../../tools/test/ates.ts';
import { busMessageOf } from '../../../tools/test/busMessageOf.ts';
import { waitFor } from '../../../tools/test/waitFor.ts';
import { installCheckpointHook } from '../src/app/checkpoints.ts';
import { accountingService } from '../src/service.ts';

const dayMs = 24 * 3_600_000;
let ates: TestAtes;
let accounting: RunningService;
let bus: EventBus;

const ledger = () => accounting.context.pool;
const stateOf = async (day: string) =>
  (await ledger().query<{ state: string }>('SELECT state FROM business_days WHERE day = $1', [day])).rows[0]?.state;
const status = async () =>
  (await ates.call('accounting', 'GET', '/api/ops/status', ates.admin.token)).body as {
    days_failing_to_close: { day: string; attempts: number; error: string }[];
  };

async function earn(popug: string, cents: number): Promise<void> {
  const task = uuidv7();
  const event = createEvent(
    TaskCompletedV2,
    { task_id: task, assignee_id: popug, completion_reward: cents, completed_at: new Date().toISOString() },
    { aggregateId: task },
  );
  await bus.publish([busMessageOf(event)]);
  await waitFor(
    'the reward in the ledger',
    async () => (await ledger().query('SELECT 1 FROM ledger_transfers WHERE task_id = $1', [task])).rowCount === 1,
  );
}

beforeAll(async () => {
  // The closer ticks fast here so the test waits on its effects, not on its timer.
  ates = await startAtes([accountingService], { ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '100' });
  accounting = ates.services['accounting']!;
  bus = await PostgresLogBus.connect(ates.env['BUS_DATABASE_URL']!);
});
afterAll(() => bus.close());

describe('the automatic day closer', () => {
  it('reports a day whose close keeps failing, closes the days after it meanwhile, and finishes it once it can', async () => {
    const clock = accounting.context.clock;
    const popug = uuidv7();
    const stuck = clock.today();
    let failing = true;
    const remove = installCheckpointHook(async (point, day) => {
      if (failing && point === 'close.batch.locked' && day === stuck) throw new Error('the payout bank is down');
    });
    try {
      await earn(popug, 3_000);
      clock.advance(dayMs);
      const reported = await waitFor('the failure to be reported', async () =>
        (await status()).days_failing_to_close.find((failed) => failed.day === stuck),
      );
      expect(reported).toMatchObject({ attempts: expect.any(Number), error: 'the payout bank is down' });

      const next = clock.today();
      await earn(popug, 2_000);
      clock.advance(dayMs);
      await waitFor('the next day to be closed', async () => (await stateOf(next)) === 'closed');
      expect(await stateOf(stuck)).toBe('closing');
      const metrics = await (await fetch(`${ates.urlOf('accounting')}/metrics`)).text();
      expect(metrics).toMatch(/^ates_day_close_failures_total [1-9]/m);

      failing = false;
      await waitFor('the stuck day to be closed', async () => (await stateOf(stuck)) === 'closed');
      expect((await status()).days_failing_to_close).toEqual([]);
      const { rows } = await ledger().query<{ day: string; amount: number }>(
        "SELECT to_char(business_day, 'YYYY-MM-DD') AS day, amount FROM ledger_transfers WHERE kind = 'payout' AND employee_id = $1",
        [popug],
      );
      expect(rows).toEqual([{ day: next, amount: 5_000 }]);
    } finally {
      remove();
    }
  });
});
