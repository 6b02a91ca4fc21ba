import { randomBytes } from 'node:crypto';
import { createEvent, TaskCompletedV1 } from '@ates/contracts';
import { type EventBus, NatsJetStreamBus, type OutgoingMessage, PostgresLogBus } from '@ates/platform/bus';
import { createPool, ensureDatabase, withDatabase, withTransaction } from '@ates/platform/db';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { uuidv7 } from 'uuidv7';
import { startBenchPostgres } from './lib/benchPostgres.ts';
import { type BenchRow, saveResults, timed } from './lib/report.ts';

const count = Number(process.env['BENCH_BUS_EVENTS'] ?? 100_000);
const batch = 1_000;
const natsUrl = process.env['BENCH_NATS_URL'] ?? 'nats://127.0.0.1:4222';

function events(n: number): OutgoingMessage[] {
  return Array.from({ length: n }, (_, index) => {
    const taskId = uuidv7();
    const event = createEvent(
      TaskCompletedV1,
      {
        task_id: taskId,
        assignee_id: uuidv7(),
        completion_reward: 2_000 + (index % 2_000),
        completed_at: new Date().toISOString(),
      },
      { aggregateId: taskId },
    );
    return { id: event.event_id, name: event.event_name, key: taskId, body: JSON.stringify(event) };
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

/** Publishes everything while one consumer group reads; returns publish and end-to-end rates. */
async function measureBus(
  bus: EventBus,
  messages: OutgoingMessage[],
): Promise<{ published: number; consumed: number }> {
  let delivered = 0;
  let allDelivered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDelivered = resolve));
  const subscription = await bus.subscribe({ group: `bench-${uuidv7()}`, maxBatch: 1_000 }, async (deliveries) => {
    delivered += deliveries.length;
    if (delivered >= messages.length) allDelivered();
  });
  const started = process.hrtime.bigint();
  const publish = await timed(async () => {
    for (const chunk of chunks(messages, batch)) await bus.publish(chunk);
  });
  await done;
  const endToEnd = Number(process.hrtime.bigint() - started) / 1e9;
  await subscription.stop();
  return { published: messages.length / publish.seconds, consumed: messages.length / endToEnd };
}

function busRows(
  adapter: string,
  measured: { published: number; consumed: number },
  rawRate: number,
  baselineName: string,
): BenchRow[] {
  return (['published', 'consumed'] as const).map((what) => ({
    benchmark: 'bus',
    adapter,
    measure: what === 'published' ? 'published' : 'consumed end-to-end',
    value: measured[what],
    unit: 'events/s',
    baseline: rawRate,
    baselineName,
  }));
}

async function postgresRows(serverUrl: string): Promise<BenchRow[]> {
  const messages = events(count);
  const rawUrl = withDatabase(serverUrl, 'bench_raw');
  await ensureDatabase(rawUrl);
  const raw = createPool(rawUrl);
  await raw.query('CREATE TABLE IF NOT EXISTS raw_events (id text, name text, key text, body text)');
  const baseline = await timed(async () => {
    for (const chunk of chunks(messages, batch)) {
      await withTransaction(raw, (tx) =>
        tx.query('INSERT INTO raw_events SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])', [
          chunk.map((m) => m.id),
          chunk.map((m) => m.name),
          chunk.map((m) => m.key),
          chunk.map((m) => m.body),
        ]),
      );
    }
  });
  await raw.end();
  const bus = await PostgresLogBus.connect(withDatabase(serverUrl, 'bench_bus'));
  const measured = await measureBus(bus, messages);
  await bus.close();
  return busRows('postgres', measured, count / baseline.seconds, 'raw batched INSERT');
}

async function natsRows(): Promise<BenchRow[]> {
  const messages = events(count);
  const stream = `BENCH${randomBytes(4).toString('hex').toUpperCase()}`;
  const bus = await NatsJetStreamBus.connect(natsUrl, { stream });
  const connection = await connect({ servers: natsUrl.replace('nats://', ''), noAsyncTraces: true });
  const js = jetstream(connection);
  const subject = bus.subjectOf('bench.raw', 'bench');
  const baseline = await timed(async () => {
    for (const chunk of chunks(messages, 1_024)) await Promise.all(chunk.map((m) => js.publish(subject, m.body)));
  });
  await connection.drain();
  const measured = await measureBus(bus, messages);
  await bus.destroy();
  return busRows('nats', measured, count / baseline.seconds, 'raw JetStream publish');
}

export async function benchBus(): Promise<BenchRow[]> {
  const postgres = await startBenchPostgres();
  try {
    const rows = [...(await postgresRows(postgres.serverUrl)), ...(await natsRows())];
    saveResults('bus', rows, { events: count });
    return rows;
  } finally {
    await postgres.stop();
  }
}
