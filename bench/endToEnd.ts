import { Agent, request } from 'node:http';
import { signInWithPassword } from '@ates/platform/auth';
import { connectBus } from '@ates/platform/bus';
import { createPool, type Pool, withDatabase } from '@ates/platform/db';
import { BusinessClock } from '@ates/platform/time';
import { developmentAdmin } from '../services/auth/src/settings.ts';
import { startNatsServer } from '../tools/processes/natsServer.ts';
import { ProcessSystem } from '../tools/processes/processSystem.ts';
import { freePort, startBenchPostgres } from './lib/benchPostgres.ts';
import { createTaskBesideFloor } from './lib/createTaskBesideFloor.ts';
import { outboxEmpty } from './lib/outboxEmpty.ts';
import { type BenchRow, saveResults } from './lib/report.ts';
import { seedEarnings } from './lib/seedEarnings.ts';
import { rawInsertSeconds } from './lib/serviceDatabase.ts';
import { waitUntil } from './lib/waitUntil.ts';

const shuffleSizes = (process.env['BENCH_E2E_SHUFFLE_SIZES'] ?? '100000').split(',').filter(Boolean).map(Number);
const adapters = (process.env['BENCH_E2E_ADAPTERS'] ?? 'postgres,nats').split(',');
// The target rate, and one the machine can sustain: latency under overload is mostly queueing.
const latencyRates = (process.env['BENCH_E2E_LATENCY_RATES'] ?? '1000,250').split(',').filter(Boolean).map(Number);
const latencySeconds = Number(process.env['BENCH_E2E_LATENCY_SECONDS'] ?? 20);
/**
 * Completions at the asked rate before the measured ones, as the create routes get: from
 * idle, the first second's p99 was 79-143 ms against 25-60 ms in each second after,
 * while connections opened, statements were prepared and code compiled.
 */
const latencyWarmUpSeconds = 3;
const closeAccounts = Number(process.env['BENCH_E2E_CLOSE_ACCOUNTS'] ?? 100_000);
const deliveryWindowMs = 10_000;
const workers = 1_000;
const groups = ['tasks.accounts', 'accounting.ledger', 'analytics', 'notifications.payouts'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const count = async (pool: Pool, sql: string, params: unknown[] = []) =>
  (await pool.query<{ n: number }>(sql, params)).rows[0]!.n;
// What the waits below ask, every 50 to 250 ms, must not load the machine being measured:
// a count(*) of a million-line journal or outbox took a good part of a core. So each asks
// an index or a row per account, and an exact count is taken once, at the end.
const emailsOwed = (pool: Pool) => count(pool, 'SELECT count(*)::int AS n FROM outgoing_emails');
/** Lines in the journal: each employee account numbers its own, so the last numbers add up to them. */
const postings = (pool: Pool) =>
  count(pool, "SELECT coalesce(sum(last_sequence), 0)::bigint AS n FROM ledger_accounts WHERE kind = 'employee'");
/** The same as far as analytics knows: the number of the newest posting it holds for each account. */
const postingsInAnalytics = (pool: Pool) =>
  count(pool, 'SELECT coalesce(sum(sequence), 0)::bigint AS n FROM account_balances');
/**
 * Analytics has counted every posting the ledger holds: it holds the newest of every
 * account (cheap, asked often), then, asked once, it has counted each of them.
 */
async function analyticsCaughtUp(system: System, everyMs: number): Promise<void> {
  const { accounting, analytics } = system.pools;
  await waitUntil(async () => (await postingsInAnalytics(analytics)) >= (await postings(accounting)), everyMs);
  await waitUntil(
    async () =>
      (await count(analytics, 'SELECT count(*)::int AS n FROM counted_transactions')) >=
      (await count(accounting, 'SELECT count(*)::int AS n FROM ledger_transfers')),
    250,
  );
}

/** The whole of aTES as `npm start` runs it, one process per service, on the given bus. */
async function startSystem(serverUrl: string, adapter: string) {
  const nats = adapter === 'nats' ? await startNatsServer() : undefined;
  const env: Record<string, string> = {
    SMTP_SINK_PORT: String(await freePort()),
    ACCOUNTING_DAY_CLOSER_INTERVAL_MS: '3600000',
    ...(nats ? { BUS_URL: nats.url } : {}),
  };
  for (const name of ['auth', 'tasks', 'accounting', 'analytics', 'notifications', 'bus']) {
    env[`${name.toUpperCase()}_DATABASE_URL`] = withDatabase(serverUrl, `e2e_${adapter}_${name}`);
    if (name !== 'bus') env[`${name.toUpperCase()}_PORT`] = String(await freePort());
  }
  const system = new ProcessSystem(env);
  // A service that fails to start must not outlive the run, loading the next one.
  await system.start().catch(async (error: unknown) => {
    await system.stop();
    await nats?.stop();
    throw error;
  });
  const pools = {
    auth: createPool(env['AUTH_DATABASE_URL']!, { max: 1 }),
    tasks: createPool(env['TASKS_DATABASE_URL']!, { max: 4 }),
    accounting: createPool(env['ACCOUNTING_DATABASE_URL']!, { max: 2 }),
    analytics: createPool(env['ANALYTICS_DATABASE_URL']!, { max: 2 }),
    notifications: createPool(env['NOTIFICATIONS_DATABASE_URL']!, { max: 2 }),
  };
  const url = (name: string) => `http://127.0.0.1:${env[`${name.toUpperCase()}_PORT`]}`;
  const admin = await signInWithPassword({ issuer: url('auth'), ...developmentAdmin });
  const bus = await connectBus(env);
  return {
    env,
    pools,
    url,
    headers: { authorization: `Bearer ${admin.accessToken}`, 'content-type': 'application/json' },
    /** Nothing left anywhere: every service's outbox empty, every group caught up. */
    async quiet() {
      await waitUntil(async () => {
        const lags = await Promise.all(groups.map((group) => bus.lag(group)));
        const outboxes = await Promise.all(Object.values(pools).map(outboxEmpty));
        return lags.every((n) => n === 0) && outboxes.every(Boolean);
      }, 200);
    },
    peakRssMb: () => system.peakRssMb(),
    async stop() {
      await bus.close();
      await Promise.all(Object.values(pools).map((pool) => pool.end()));
      await system.stop();
      await nats?.stop();
    },
  };
}
type System = Awaited<ReturnType<typeof startSystem>>;

/** 1 000 workers in the task tracker's account directory, as if the SSO had announced them. */
async function seedWorkers(system: System): Promise<void> {
  await system.pools.tasks.query(
    `INSERT INTO directory_accounts (id, email, full_name, role, active, state_at)
     SELECT ates_uuid_v7(), 'bench-w' || n || '@uberpopug.test', 'Worker ' || n, 'worker', true, now() FROM generate_series(1, $1) n`,
    [workers],
  );
}

/** Shuffle N open tasks among 1 000 workers; done when accounting has posted a fee for every reassignment. */
async function shuffleConvergence(system: System, adapter: string, size: number): Promise<BenchRow[]> {
  const { tasks, accounting } = system.pools;
  await tasks.query("UPDATE tasks SET status = 'done', completed_at = now() WHERE status = 'open'");
  await tasks.query(
    `WITH w AS (SELECT array_agg(id) ids FROM directory_accounts WHERE role = 'worker')
     INSERT INTO tasks (id, title, description, creator_id, assignee_id, assign_fee, completion_reward)
     SELECT ates_uuid_v7(), 'Task ' || n, '', w.ids[1], w.ids[1 + n % cardinality(w.ids)], 1000 + n % 1001, 2000 + n % 2001 FROM w, generate_series(1, $1) n`,
    [size],
  );
  await tasks.query('VACUUM ANALYZE tasks');
  const baseline = await rawInsertSeconds(tasks, size);
  // Only fees are posted while the shuffle converges: postings counts them.
  const feesBefore = await postings(accounting);
  const started = performance.now();
  const response = await fetch(`${system.url('tasks')}/api/tasks/shuffle`, {
    method: 'POST',
    headers: { authorization: system.headers.authorization },
  });
  const reassigned = ((await response.json()) as { reassigned: number }).reassigned;
  if (reassigned !== size) throw new Error(`shuffled ${reassigned} of ${size}`);
  const committed = (performance.now() - started) / 1_000;
  await waitUntil(() => outboxEmpty(tasks), 250);
  const published = (performance.now() - started) / 1_000;
  await waitUntil(async () => (await postings(accounting)) - feesBefore >= size, 100);
  const posted = (performance.now() - started) / 1_000;
  await analyticsCaughtUp(system, 100);
  const converged = (performance.now() - started) / 1_000;
  const benchmark = `shuffle ${size.toLocaleString('en-US')} open tasks, end to end`;
  const base = { benchmark, adapter, unit: 's', baseline, baselineName: 'raw INSERT of as many rows' };
  await system.quiet();
  return [
    { ...base, measure: 'committed in tasks', value: committed },
    { ...base, measure: 'published to the bus', value: published },
    { ...base, measure: 'every fee posted in accounting', value: posted },
    {
      ...base,
      measure: 'converged: analytics has every posting',
      value: converged,
      target: adapter === 'nats' ? '< 90 s (1M)' : '< 60 s (1M)',
    },
  ];
}

/**
 * Create-task requests at 32 connections with all five services running, beside the
 * floor route in the same run; then the time until accounting and analytics have them all.
 */
async function createThroughput(system: System, adapter: string, serverUrl: string): Promise<BenchRow[]> {
  const benchmark = 'create task over HTTP, 32 connections, all five services';
  let before = 0;
  const { rows, created } = await createTaskBesideFloor({
    benchmark,
    adapter,
    tasksUrl: system.url('tasks'),
    headers: system.headers,
    floorDatabaseUrl: withDatabase(serverUrl, `e2e_${adapter}_floor`),
    // The warm-up's tasks are posted and counted before the measured load starts.
    afterWarmUp: async () => {
      await system.quiet();
      before = await postings(system.pools.accounting);
    },
  });
  const ended = performance.now();
  await waitUntil(async () => (await postings(system.pools.accounting)) - before >= created, 50);
  await analyticsCaughtUp(system, 50);
  const drained = (performance.now() - ended) / 1_000;
  return [
    ...rows,
    { benchmark, adapter, measure: 'accounting and analytics caught up after the load', value: drained, unit: 's' },
  ];
}

/** Workers who sign in and complete their own tasks, as people do. */
async function signedInWorkers(system: System, count: number): Promise<{ id: string; authorization: string }[]> {
  const stamp = Date.now();
  const emails = Array.from({ length: count }, (_, n) => `latency${n}.${stamp}@uberpopug.test`);
  for (const [n, email] of emails.entries()) {
    const response = await fetch(`${system.url('auth')}/api/accounts`, {
      method: 'POST',
      headers: system.headers,
      body: JSON.stringify({ email, full_name: `Latency popug ${n}`, role: 'worker', password: 'bench password' }),
    });
    if (!response.ok) throw new Error(`creating ${email} failed: ${response.status} ${await response.text()}`);
  }
  const known = async () =>
    (
      await system.pools.tasks.query<{ id: string; email: string }>(
        'SELECT id::text, email FROM directory_accounts WHERE email = ANY($1)',
        [emails],
      )
    ).rows;
  await waitUntil(async () => (await known()).length === count, 100);
  const ids = new Map((await known()).map((row) => [row.email, row.id]));
  const workers: { id: string; authorization: string }[] = [];
  for (const email of emails) {
    const tokens = await signInWithPassword({ issuer: system.url('auth'), email, password: 'bench password' });
    workers.push({ id: ids.get(email)!, authorization: `Bearer ${tokens.accessToken}` });
  }
  return workers;
}

/**
 * A POST over a kept-alive connection, answering its status. The load generator shares
 * the two cores with what it measures: fetch took 34-37 % of a core at 1,000 requests/s,
 * node:http about half as much.
 */
const connections = new Agent({ keepAlive: true, maxSockets: 256 });
function post(url: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: 'POST', headers: { authorization }, agent: connections }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** Milliseconds since the epoch at which the transaction that wrote each row committed, by id. */
async function commitTimes(pool: Pool, table: string, idColumn: string, ids: readonly string[]) {
  const { rows } = await pool.query<{ id: string; at: number }>(
    `SELECT ${idColumn}::text AS id, extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000 AS at
     FROM ${table} WHERE ${idColumn} = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, Number(row.at)]));
}

/**
 * Completions as people make them: each worker completes their own open task over HTTP,
 * through the service's real code path, at a steady rate. Latency runs from the commit
 * of the completion in tasks until the commit that puts it in the analytics read model:
 * both read from the server's commit timestamps (`track_commit_timestamp`), on the clock
 * the bench sends by, so nothing polls while the load runs. From the request's start
 * it also holds the wait for the service.
 */
async function eventLatency(
  system: System,
  adapter: string,
  latencyRate: number,
  workers: readonly { id: string; authorization: string }[],
): Promise<BenchRow[]> {
  const { tasks, analytics } = system.pools;
  const planned = Math.ceil(latencyRate * (latencyWarmUpSeconds + latencySeconds) * 1.2);
  const { rows: open } = await tasks.query<{ id: string; assignee_id: string }>(
    `INSERT INTO tasks (id, title, description, creator_id, assignee_id, assign_fee, completion_reward)
     SELECT ates_uuid_v7(), 'Latency task ' || n, '', w.ids[1], w.ids[1 + n % cardinality(w.ids)], 1500, 2000 + n % 2001
     FROM (SELECT $2::uuid[] AS ids) w, generate_series(1, $1) n RETURNING id::text, assignee_id::text`,
    [planned, workers.map((worker) => worker.id)],
  );
  const tokenOf = new Map(workers.map((worker) => [worker.id, worker.authorization]));
  /** When each measured completion's request was sent, in milliseconds since the epoch. */
  const sentAt = new Map<string, number>();
  let failed = 0;
  const inFlight = new Set<Promise<void>>();
  const perTick = Math.max(1, Math.round(latencyRate / 100));
  const tickMs = (1_000 * perTick) / latencyRate;
  const started = performance.now();
  const measuredFrom = started + latencyWarmUpSeconds * 1_000;
  const until = measuredFrom + latencySeconds * 1_000;
  let next = started;
  while (performance.now() < until && open.length > 0) {
    // A machine that cannot keep the pace gets no more than 256 requests waiting: the rate shows it.
    for (let n = 0; n < perTick && open.length > 0 && inFlight.size < 256; n += 1) {
      const task = open.pop()!;
      const now = performance.now();
      const sent = now >= measuredFrom ? performance.timeOrigin + now : undefined;
      const request = post(`${system.url('tasks')}/api/tasks/${task.id}/complete`, tokenOf.get(task.assignee_id)!).then(
        (status) => {
          if (status !== 200) failed += 1;
          else if (sent !== undefined) sentAt.set(task.id, sent);
        },
        () => {
          failed += 1;
        },
      );
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    next += tickMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(inFlight);
  const producedIn = (performance.now() - measuredFrom) / 1_000;
  if (failed > 0) throw new Error(`${failed} completions failed`);
  const completedIds = [...sentAt.keys()];
  const seen = () =>
    count(analytics, 'SELECT count(*)::int AS n FROM completed_tasks WHERE task_id = ANY($1::uuid[])', [completedIds]);
  await waitUntil(async () => (await seen()) === completedIds.length, 100);
  const committed = await commitTimes(tasks, 'tasks', 'id', completedIds);
  const visible = await commitTimes(analytics, 'completed_tasks', 'task_id', completedIds);
  const latencies = completedIds.map((id) => visible.get(id)! - committed.get(id)!).sort((a, b) => a - b);
  const fromRequest = completedIds.map((id) => visible.get(id)! - sentAt.get(id)!).sort((a, b) => a - b);
  const completed = completedIds.length;
  const benchmark = `event latency at ${latencyRate.toLocaleString('en-US')} completions/s asked, completed over HTTP → analytics read model`;
  return [
    {
      benchmark,
      adapter,
      measure: 'completions the machine produced',
      value: completed / producedIn,
      unit: 'completions/s',
    },
    {
      benchmark,
      adapter,
      measure: `commit → read model, p50 (${latencies.length.toLocaleString('en-US')} completions)`,
      value: percentile(latencies, 50),
      unit: 'ms',
    },
    {
      benchmark,
      adapter,
      measure: 'commit → read model, p99',
      value: percentile(latencies, 99),
      unit: 'ms',
      target: '< 50 ms',
    },
    { benchmark, adapter, measure: 'request sent → read model, p99', value: percentile(fromRequest, 99), unit: 'ms' },
  ];
}

/**
 * Close the day for N accounts that have money on them: time until the payouts are
 * committed, their events published, and an email queued in notifications for each.
 */
async function closeDayConvergence(system: System, adapter: string): Promise<BenchRow[]> {
  const { accounting, notifications } = system.pools;
  await seedEarnings(accounting, closeAccounts, new BusinessClock('UTC').today());
  // Everyone who will be paid: the seeded accounts and the popugs of the runs before.
  const { rows: owed } = await accounting.query<{ id: string }>(
    "SELECT id FROM ledger_accounts WHERE kind = 'employee' AND balance > 0",
  );
  // The baseline writes as many rows as there will be payouts.
  const baseline = await rawInsertSeconds(accounting, owed.length);
  // The seeded popugs as notifications knows popugs, from account events: without an address their emails wait.
  await notifications.query(
    `INSERT INTO directory_accounts (id, email, full_name, role, active, state_at)
     SELECT id, 'paid.' || id || '@uberpopug.test', 'Paid popug', 'worker', true, now() FROM unnest($1::uuid[]) AS id
     ON CONFLICT (id) DO NOTHING`,
    [owed.map((row) => row.id)],
  );
  const emailsBefore = await emailsOwed(notifications);
  const started = performance.now();
  const response = await fetch(`${system.url('accounting')}/api/days/${new BusinessClock('UTC').today()}/close`, {
    method: 'POST',
    headers: { authorization: system.headers.authorization },
  });
  if (!response.ok) throw new Error(`closing the day failed: ${response.status} ${await response.text()}`);
  const { payouts } = (await response.json()) as { payouts: number };
  if (payouts < closeAccounts) throw new Error(`paid ${payouts} of ${closeAccounts}`);
  const closed = (performance.now() - started) / 1_000;
  await waitUntil(() => outboxEmpty(accounting), 250);
  const published = (performance.now() - started) / 1_000;
  await waitUntil(async () => (await emailsOwed(notifications)) - emailsBefore >= payouts, 250);
  const queued = (performance.now() - started) / 1_000;
  // Delivery goes on long after the close; its pace over a window says how long a close's emails take to leave.
  const emailsSent = () => count(notifications, "SELECT count(*)::int AS n FROM outgoing_emails WHERE status = 'sent'");
  const sentBefore = await emailsSent();
  await new Promise((resolve) => setTimeout(resolve, deliveryWindowMs));
  const deliveredPerSecond = ((await emailsSent()) - sentBefore) / (deliveryWindowMs / 1_000);
  const base = {
    benchmark: `close day, ${payouts.toLocaleString('en-US')} payouts, end to end`,
    adapter,
    unit: 's',
    baseline,
    baselineName: 'raw INSERT of as many rows',
  };
  return [
    { ...base, measure: 'payouts committed (+ their events in the outbox)', value: closed, target: '< 10 s' },
    { ...base, measure: 'events published', value: published },
    { ...base, measure: 'an email queued for each', value: queued },
    {
      benchmark: base.benchmark,
      adapter,
      measure: `emails delivered over SMTP to the sink, in the ${deliveryWindowMs / 1_000} s after`,
      value: deliveredPerSecond,
      unit: 'emails/s',
    },
  ];
}

export async function benchEndToEnd(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const adapter of adapters) {
    // A server of its own for each bus. On a shared server, NATS create ran at 0.39-0.53x
    // the floor with p99 58-62 ms, beside what the log's half had left to vacuum and
    // checkpoint; on its own server, 0.47-0.48x with p99 38-39 ms.
    // Commit timestamps time each completion's trip exactly (see eventLatency).
    const postgres = await startBenchPostgres({ track_commit_timestamp: 'on' });
    try {
      const system = await startSystem(postgres.serverUrl, adapter);
      try {
        await seedWorkers(system);
        for (const size of shuffleSizes) rows.push(...(await shuffleConvergence(system, adapter, size)));
        rows.push(...(await createThroughput(system, adapter, postgres.serverUrl)));
        await system.quiet();
        const workers = await signedInWorkers(system, 32);
        for (const rate of latencyRates) {
          rows.push(...(await eventLatency(system, adapter, rate, workers)));
          await system.quiet();
        }
        if (closeAccounts > 0) rows.push(...(await closeDayConvergence(system, adapter)));
        for (const [service, mb] of Object.entries(system.peakRssMb())) {
          rows.push({
            benchmark: 'peak RSS during these runs',
            adapter,
            measure: service,
            value: mb,
            unit: 'MB',
            target: '< 300 MB',
          });
        }
      } finally {
        await system.stop();
      }
    } finally {
      await postgres.stop();
    }
  }
  // Runs at other sizes or rates keep their own results beside the standard one.
  const sizes = shuffleSizes.join('-') || 'no-shuffle';
  const rates = latencyRates.join('-');
  const name = ['end-to-end', sizes === '100000' ? '' : sizes, rates === '1000-250' ? '' : `${rates}ps`]
    .filter(Boolean)
    .join('-');
  saveResults(name, rows);
  return rows;
}
