import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tools/test/databases.ts';
import { type OutgoingMessage, PostgresLogBus, provisionBusProducers } from '../../src/bus/index.ts';
import { nextBatchStatement } from '../../src/bus/postgres-log/PostgresLogSubscription.ts';
import { describeBusContract } from './busContract.ts';

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
