import pg from 'pg';
import { freshDatabase } from '../../../../tools/test/databases.ts';
import { type OutgoingMessage, PostgresLogBus, provisionBusProducers } from '../../src/bus/index.ts';
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
