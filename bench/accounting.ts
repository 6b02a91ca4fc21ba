import { randomUUID } from 'node:crypto';
import { createEvent, TaskAssignedV1 } from '@ates/contracts';
import { PostgresLogBus } from '@ates/platform/bus';
import { withDatabase } from '@ates/platform/db';
import { EventConsumer } from '@ates/platform/inbox';
import { OutboxRelay } from '@ates/platform/outbox';
import { BusinessClock } from '@ates/platform/time';
import { v7 as uuidv7 } from 'uuid';
import { closeBusinessDay } from '../services/accounting/src/app/closeBusinessDay.ts';
import { accountingHandlers, ledgerBatchSize } from '../services/accounting/src/app/eventHandlers.ts';
import { startBenchPostgres } from './lib/benchPostgres.ts';
import { type BenchRow, saveResults, timed } from './lib/report.ts';
import { seedEarnings } from './lib/seedEarnings.ts';
import { rawInsertSeconds, serviceDatabase } from './lib/serviceDatabase.ts';

const assignments = Number(process.env['BENCH_ASSIGNMENTS'] ?? 1_000_000);
const closeAccounts = Number(process.env['BENCH_CLOSE_ACCOUNTS'] ?? 100_000);

/**
 * A shuffle's worth of task.assigned events applied by the real ledger consumer, from the
 * bus, until what the ledger announces is on the bus too.
 */
async function postingRows(serverUrl: string): Promise<BenchRow[]> {
  const { url, pool } = await serviceDatabase(serverUrl, 'bench_accounting_postings', 'accounting');
  const bus = await PostgresLogBus.connect(withDatabase(serverUrl, 'bench_accounting_bus'));
  const workers = Array.from({ length: 1_000 }, () => uuidv7());
  for (let start = 0; start < assignments; start += 5_000) {
    const chunk = Array.from({ length: Math.min(5_000, assignments - start) }, (_, index) => {
      const taskId = uuidv7();
      const event = createEvent(
        TaskAssignedV1,
        {
          task_id: taskId,
          assignment_id: uuidv7(),
          assignee_id: workers[(start + index) % workers.length]!,
          assign_fee: 1_500,
          cause: 'shuffle',
          assigned_at: new Date().toISOString(),
        },
        { aggregateId: taskId },
      );
      return { id: event.event_id, name: event.event_name, key: taskId, body: JSON.stringify(event) };
    });
    await bus.publish(chunk);
  }
  const baseline = await rawInsertSeconds(pool, assignments);
  const clock = new BusinessClock('UTC');
  // As the service runs it: the consumer with its batch size, and the relay publishing what the ledger announces.
  const { seconds } = await timed(async () => {
    const consumer = await EventConsumer.start({
      bus,
      pool,
      group: 'accounting.ledger',
      handlers: accountingHandlers(clock),
      maxBatch: ledgerBatchSize,
    });
    const relay = new OutboxRelay({ databaseUrl: url, bus }).start();
    const settled = async () =>
      (await bus.lag('accounting.ledger')) === 0 &&
      (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ates_outbox')).rows[0]!.n === 0;
    while (!(await settled())) await new Promise((resolve) => setTimeout(resolve, 50));
    await consumer.stop();
    await relay.stop();
  });
  const { rows } = await pool.query<{ n: number; total: number }>(
    "SELECT count(*)::int AS n, (SELECT sum(balance) FROM ledger_accounts)::bigint AS total FROM ledger_transfers WHERE kind = 'fee'",
  );
  if (rows[0]!.n !== assignments || rows[0]!.total !== 0) throw new Error(`ledger is off: ${JSON.stringify(rows[0])}`);
  await bus.close();
  await pool.end();
  return [
    {
      benchmark: `ledger postings from the bus (${assignments.toLocaleString('en-US')} assignments)`,
      adapter: 'postgres',
      measure: 'postings applied',
      value: assignments / seconds,
      unit: 'postings/s',
      baseline: assignments / baseline,
      baselineName: 'raw INSERT of as many rows',
      target: '≥ 50 000 postings/s',
    },
  ];
}

/** Closing a day for many accounts with positive balances: payouts, balances, outbox events. */
async function closeDayRows(serverUrl: string): Promise<BenchRow[]> {
  const { pool } = await serviceDatabase(serverUrl, 'bench_accounting_close', 'accounting');
  const clock = new BusinessClock('UTC');
  await seedEarnings(pool, closeAccounts, clock.today());
  const baseline = await rawInsertSeconds(pool, closeAccounts);
  const { seconds, result } = await timed(() =>
    closeBusinessDay(pool, clock, clock.today(), { traceId: randomUUID() }),
  );
  if (result.payouts !== closeAccounts) throw new Error(`paid ${result.payouts} of ${closeAccounts}`);
  const { rows } = await pool.query<{ events: number }>('SELECT count(*)::int AS events FROM ates_outbox');
  await pool.end();
  return [
    {
      benchmark: `close day (${closeAccounts.toLocaleString('en-US')} accounts, ${rows[0]!.events.toLocaleString('en-US')} events queued)`,
      adapter: 'postgres',
      measure: 'time to close',
      value: seconds,
      unit: 's',
      baseline,
      baselineName: 'raw INSERT of as many rows',
      target: '< 10 s',
    },
  ];
}

export async function benchAccounting(): Promise<BenchRow[]> {
  const postgres = await startBenchPostgres();
  try {
    const rows = [...(await closeDayRows(postgres.serverUrl)), ...(await postingRows(postgres.serverUrl))];
    saveResults('accounting', rows, { assignments, closeAccounts });
    return rows;
  } finally {
    await postgres.stop();
  }
}
