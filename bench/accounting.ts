import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { type EventBus, NatsJetStreamBus, PostgresLogBus } from '@ates/platform/bus';
import { serviceNodeFlags } from '@ates/platform/config';
import { type Pool, withDatabase } from '@ates/platform/db';
import { EventConsumer } from '@ates/platform/inbox';
import { OutboxRelay } from '@ates/platform/outbox';
import { partitionCount } from '@ates/platform/partitions';
import { BusinessClock } from '@ates/platform/time';
import { uuidv7 } from 'uuidv7';
import { closeBusinessDay } from '../services/accounting/src/app/closeBusinessDay.ts';
import { accountingHandlers, ledgerBatching } from '../services/accounting/src/app/eventHandlers.ts';
import { newTaskAssignments, taskAssignmentShares } from '../tools/test/taskAssignments.ts';
import { startBenchPostgres } from './lib/benchPostgres.ts';
import { outboxEmpty } from './lib/outboxEmpty.ts';
import { type BenchRow, saveResults, timed } from './lib/report.ts';
import { seedEarnings } from './lib/seedEarnings.ts';
import { rawInsertSeconds, serviceDatabase } from './lib/serviceDatabase.ts';
import { waitUntil } from './lib/waitUntil.ts';

const assignments = Number(process.env['BENCH_ASSIGNMENTS'] ?? 1_000_000);
const closeAccounts = Number(process.env['BENCH_CLOSE_ACCOUNTS'] ?? 100_000);
const scaleOutAssignments = Number(process.env['BENCH_SCALE_OUT_ASSIGNMENTS'] ?? 300_000);
const natsUrl = process.env['BENCH_NATS_URL'] ?? 'nats://127.0.0.1:4222';

/**
 * How the assignments travel: one event each, as new tasks announce them (`task.created`
 * v4, each a new task's first assignment; `task.assigned` v2 until 27 Nov), or in
 * `task.assigned` v3 shares of 50 per worker, as a shuffle of 1M tasks among 1,000
 * workers announces them (chunks of 50,000: see shuffleOpenTasks).
 */
const shapes = {
  'one event per assignment': newTaskAssignments,
  "v3 events, a worker's 50 each": (count: number, workers: string[], first: number) =>
    taskAssignmentShares(count, workers, 50, first),
};
type Shape = keyof typeof shapes;

/** A shuffle's worth of assigning events waiting on the bus: `count` assignments over 1,000 workers. */
async function publishAssignments(bus: EventBus, count: number, shape: Shape): Promise<void> {
  const workers = Array.from({ length: 1_000 }, () => uuidv7());
  for (let start = 0; start < count; start += 50_000) {
    const messages = shapes[shape](Math.min(50_000, count - start), workers, start);
    for (let from = 0; from < messages.length; from += 5_000) await bus.publish(messages.slice(from, from + 5_000));
  }
}

/** The ledger has applied everything on the bus, and the relay has published what it announced. */
async function ledgerSettled(bus: EventBus, pool: Pool): Promise<boolean> {
  return (await bus.lag('accounting.ledger')) === 0 && (await outboxEmpty(pool));
}

/** Every assignment became one fee, and the books balance; throws what is off. */
async function checkLedger(pool: Pool, expectedFees: number, what: string): Promise<void> {
  const { rows } = await pool.query<{ n: number; total: number }>(
    "SELECT count(*)::int AS n, (SELECT sum(balance) FROM ledger_accounts)::bigint AS total FROM ledger_transfers WHERE kind = 'fee'",
  );
  if (rows[0]!.n !== expectedFees || rows[0]!.total !== 0)
    throw new Error(`${what} is off: ${JSON.stringify(rows[0])}`);
}

/**
 * A shuffle's worth of assigning events applied by the real ledger consumer, from the
 * bus, until what the ledger announces is on the bus too.
 */
async function postingRows(serverUrl: string, shape: Shape): Promise<BenchRow[]> {
  const name = shape === 'one event per assignment' ? 'postings' : 'postings_v3';
  const { url, pool } = await serviceDatabase(serverUrl, `bench_accounting_${name}`, 'accounting');
  const bus = await PostgresLogBus.connect(withDatabase(serverUrl, `bench_accounting_${name}_bus`));
  await publishAssignments(bus, assignments, shape);
  const baseline = await rawInsertSeconds(pool, assignments);
  const clock = new BusinessClock('UTC');
  // As the service runs it: the consumer with its batch size, and the relay publishing what the ledger announces.
  const { seconds } = await timed(async () => {
    const consumer = await EventConsumer.start({
      bus,
      pool,
      group: 'accounting.ledger',
      handlers: accountingHandlers(clock),
      ...ledgerBatching,
    });
    const relay = new OutboxRelay({ databaseUrl: url, bus }).start();
    await waitUntil(() => ledgerSettled(bus, pool), 50);
    await consumer.stop();
    await relay.stop();
  });
  await checkLedger(pool, assignments, 'ledger');
  await bus.close();
  await pool.end();
  return [
    {
      benchmark: `ledger postings from the bus (${assignments.toLocaleString('en-US')} assignments)`,
      adapter: 'postgres',
      measure: `postings applied, ${shape}`,
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

/**
 * Postings per second of the ledger group with `members` processes working side by side
 * on NATS (bench/lib/ledgerMember.ts), through a backlog of assignments: counted from the
 * moment every member holds its share of the partitions until the last posting is
 * relayed.
 */
async function membersRate(serverUrl: string, members: number): Promise<number> {
  const { url, pool } = await serviceDatabase(serverUrl, `bench_accounting_members_${members}`, 'accounting');
  const stream = `BENCHLEDGER${randomBytes(4).toString('hex').toUpperCase()}`;
  // Leases of 3 s: members share the partitions within about two seconds of starting.
  const bus = await NatsJetStreamBus.connect(natsUrl, { stream, leaseMs: 3_000 });
  await publishAssignments(bus, scaleOutAssignments, 'one event per assignment');
  const processes = Array.from({ length: members }, () =>
    spawn(
      process.execPath,
      // As a service process runs: the same heap bound.
      [...serviceNodeFlags(), '--import', 'tsx', new URL('./lib/ledgerMember.ts', import.meta.url).pathname],
      {
        env: { ...process.env, DATABASE_URL: url, BENCH_NATS_URL: natsUrl, BENCH_STREAM: stream },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    ),
  );
  const fees = async () =>
    (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'fee'")).rows[0]!.n;
  try {
    await waitUntil(async () => {
      const held = await bus.partitionHolders('accounting.ledger');
      return held.size === partitionCount && new Set(held.values()).size === members;
    }, 50);
    const before = await fees();
    const { seconds } = await timed(() => waitUntil(() => ledgerSettled(bus, pool), 50));
    await checkLedger(pool, scaleOutAssignments, `ledger with ${members} members`);
    return (scaleOutAssignments - before) / seconds;
  } finally {
    await Promise.all(
      processes.map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return exited;
      }),
    );
    await bus.destroy();
    await pool.end();
  }
}

/** The ledger group on NATS with one member, then two: what a second accounting process adds. */
async function scaleOutRows(serverUrl: string): Promise<BenchRow[]> {
  const { pool } = await serviceDatabase(serverUrl, 'bench_accounting_members_raw', 'accounting');
  const raw = scaleOutAssignments / (await rawInsertSeconds(pool, scaleOutAssignments));
  await pool.end();
  const one = await membersRate(serverUrl, 1);
  const two = await membersRate(serverUrl, 2);
  const benchmark = `ledger postings from NATS (${scaleOutAssignments.toLocaleString('en-US')} assignments)`;
  return [
    {
      benchmark,
      adapter: 'nats',
      measure: '1 member',
      value: one,
      unit: 'postings/s',
      baseline: raw,
      baselineName: 'raw INSERT of as many rows',
    },
    {
      benchmark,
      adapter: 'nats',
      measure: '2 members',
      value: two,
      unit: 'postings/s',
      baseline: one,
      baselineName: '1 member, same run',
      target: '> 1 member',
    },
  ];
}

export async function benchAccounting(): Promise<BenchRow[]> {
  const postgres = await startBenchPostgres();
  try {
    const rows = [
      ...(await closeDayRows(postgres.serverUrl)),
      ...(await postingRows(postgres.serverUrl, 'one event per assignment')),
      ...(await postingRows(postgres.serverUrl, "v3 events, a worker's 50 each")),
      ...(await scaleOutRows(postgres.serverUrl)),
    ];
    saveResults('accounting', rows, { assignments, closeAccounts, scaleOutAssignments });
    return rows;
  } finally {
    await postgres.stop();
  }
}
