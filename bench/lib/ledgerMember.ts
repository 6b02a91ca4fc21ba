import { NatsJetStreamBus } from '@ates/platform/bus';
import { createPool } from '@ates/platform/db';
import { EventConsumer } from '@ates/platform/inbox';
import { OutboxRelay } from '@ates/platform/outbox';
import { BusinessClock } from '@ates/platform/time';
import { accountingHandlers, ledgerBatching } from '../../services/accounting/src/app/eventHandlers.ts';

/**
 * One member of the ledger's consumer group in a process of its own, as an accounting
 * process runs it: the partitioned consumer and the outbox relay, on NATS. Stops on SIGTERM.
 * Settings: DATABASE_URL, BENCH_NATS_URL, BENCH_STREAM.
 */
const databaseUrl = process.env['DATABASE_URL']!;
const bus = await NatsJetStreamBus.connect(process.env['BENCH_NATS_URL']!, { stream: process.env['BENCH_STREAM']! });
const pool = createPool(databaseUrl, { applicationName: 'bench-ledger-member' });
const consumer = await EventConsumer.start({
  bus,
  pool,
  group: 'accounting.ledger',
  handlers: accountingHandlers(new BusinessClock('UTC')),
  ...ledgerBatching,
  partitioned: true,
});
const relay = new OutboxRelay({ databaseUrl, bus }).start();
process.once('SIGTERM', async () => {
  await consumer.stop();
  await relay.stop();
  await bus.close();
  await pool.end();
  process.exit(0);
});
