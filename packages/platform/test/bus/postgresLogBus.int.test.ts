import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tools/test/databases.ts';
import { type OutgoingMessage, PostgresLogBus, provisionBusProducers } from '../../src/bus/index.ts';
import { notifyChannel } from '../../src/bus/postgres-log/PostgresLogBus.ts';
import { nextBatchStatement, PostgresLogSubscription } from '../../src/bus/postgres-log/PostgresLogSubscription.ts';
import { WakeableDelay } from '../../src/runtime/index.ts';
import { describeBusContract } from './busContract.ts';
import { taskCompletions } from './testEvents.ts';

let busUrl = '';

/** Straight into the log's table, as a writer that skips the adapter would. */
async function onLogDatabase(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: busUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
const insert = (client: pg.Client, message: OutgoingMessage) =>
  client.query('INSERT INTO bus_events (event_id, name, aggregate_key, body) VALUES ($1, $2, $3, $4)', [
    message.id,
    message.name,
    message.key,
    message.body,
  ]);

describeBusContract('PostgreSQL log', {
  async freshBus() {
    busUrl = await freshDatabase('bus');
    return PostgresLogBus.connect(busUrl, { safetyPollMs: 60_000 });
  },
  membersShareWork: false,
  childEnv: () => ({ BUS_URL: busUrl }),
  consumerDatabaseUrl: () => freshDatabase('consumer'),
  storeDirectly: (message) => onLogDatabase((client) => insert(client, message)),
  storeOversized: (message) =>
    onLogDatabase(async (client) => {
      // As if stored before the limit: the CHECK is NOT VALID, so old rows may exceed it.
      await client.query('BEGIN');
      await client.query('ALTER TABLE bus_events DROP CONSTRAINT bus_events_body_size');
      await insert(client, message);
      await client.query(
        'ALTER TABLE bus_events ADD CONSTRAINT bus_events_body_size CHECK (octet_length(body) <= 524288) NOT VALID',
      );
      await client.query('COMMIT');
    }),
  async busAs(service) {
    const urls = await provisionBusProducers(busUrl, [service]);
    return PostgresLogBus.connect(urls[service]!, { safetyPollMs: 60_000 });
  },
});

describe('reading a batch from the PostgreSQL log', () => {
  /** The plan of a read of the next batch on a log whose statistics were taken when it was nearly empty. */
  async function planOnStaleStatistics(filtered: boolean): Promise<string> {
    busUrl = await freshDatabase('bus');
    await (await PostgresLogBus.connect(busUrl)).close();
    let plan = '';
    await onLogDatabase(async (client) => {
      await client.query('ALTER TABLE bus_events SET (autovacuum_enabled = false)');
      await client.query(
        "INSERT INTO bus_events (event_id, name, aggregate_key, body) SELECT 'e' || n, 'task.created', 'k', '{}' FROM generate_series(1, 10) n",
      );
      await client.query('ANALYZE bus_events');
      await client.query(
        "INSERT INTO bus_events (event_id, name, aggregate_key, body) SELECT 'f' || n, 'task.created', 'k', repeat('x', 200) FROM generate_series(1, 20000) n",
      );
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${nextBatchStatement(filtered)}`, [
        19_000,
        20_010,
        filtered ? ['task.created', 'task.assigned'] : null,
        1_000,
        524_288,
        8_388_608,
      ]);
      plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    return plan;
  }

  it('given a filtered group, looks each body up by position instead of scanning the log', async () => {
    const plan = await planOnStaleStatistics(true);
    expect(plan).not.toMatch(/Seq Scan on bus_events/);
    expect(plan).toMatch(/Index Scan using bus_events_pkey on bus_events/);
  });

  it('given a group of every event, looks each body up by position instead of scanning the log', async () => {
    const plan = await planOnStaleStatistics(false);
    expect(plan).not.toMatch(/Seq Scan on bus_events/);
    expect(plan).toMatch(/Index Scan using bus_events_pkey on bus_events/);
  });
});

describe('waking subscriptions', () => {
  /** Whether a subscription reading `names` was woken by `appended` (undefined: the names are unknown). */
  function woken(names: string[] | undefined, appended: string[] | undefined): Promise<string> {
    const delay = new WakeableDelay();
    const subscription = new PostgresLogSubscription(
      'postgres://unused',
      { group: 'g', ...(names ? { names } : {}) },
      async () => undefined,
      delay,
      60_000,
      () => undefined,
    );
    subscription.wake(appended);
    // A pending wake-up ends the wait at once, before any timer can fire.
    const asleep = new Promise<string>((resolve) => setTimeout(() => resolve('asleep'), 10));
    const answer = Promise.race([delay.wait(60_000).then(() => 'awake'), asleep]);
    return answer.finally(() => delay.wake());
  }

  it('an append announces the names it appended', async () => {
    busUrl = await freshDatabase('bus');
    const bus = await PostgresLogBus.connect(busUrl);
    const listener = new pg.Client({ connectionString: busUrl });
    await listener.connect();
    await listener.query(`LISTEN ${notifyChannel}`);
    const notified = new Promise<string>((resolve) => listener.once('notification', (m) => resolve(m.payload ?? '')));
    const [completion] = taskCompletions(1);
    await bus.publish([completion!, { ...completion!, id: `${completion!.id}-again` }]);
    expect(await notified).toBe('task.completed');
    await listener.end();
    await bus.close();
  });

  it('a subscription is not woken by names it does not read', async () => {
    expect(await woken(['account.created'], ['task.created', 'task.assigned'])).toBe('asleep');
  });

  it('a subscription is woken when one of the names appended is one it reads', async () => {
    expect(await woken(['account.created'], ['task.created', 'account.created'])).toBe('awake');
  });

  it('a subscription is woken when the names appended are unknown', async () => {
    expect(await woken(['account.created'], undefined)).toBe('awake');
  });

  it('a subscription to every event is woken by any append', async () => {
    expect(await woken(undefined, ['task.created'])).toBe('awake');
  });
});
