import { createEvent, type Envelope, partitionKeyOf, TaskCompletedV1 } from '@ates/contracts';
import { uuidv7 } from 'uuidv7';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { externalPostgresUrl, freshDatabase } from '../../../../tools/test/databases.ts';
import { waitFor } from '../../../../tools/test/waitFor.ts';
import {
  type Delivery,
  type EventBus,
  maxBatchBytes,
  type OutgoingMessage,
  PostgresLogBus,
} from '../../src/bus/index.ts';
import { createPool, migrateServiceDatabase, type Pool, withTransaction } from '../../src/db/index.ts';
import { EventConsumer, on } from '../../src/inbox/index.ts';
import { appendToOutbox, OutboxRelay } from '../../src/outbox/index.ts';

// Each test event is told apart by its reward: 2000 + n, within the business bounds.
function completion(reward: number, taskId = uuidv7()): Envelope {
  return createEvent(
    TaskCompletedV1,
    { task_id: taskId, assignee_id: taskId, completion_reward: 2_000 + reward, completed_at: new Date().toISOString() },
    { aggregateId: taskId },
  );
}

async function logOf(bus: EventBus): Promise<Delivery[]> {
  const seen: Delivery[] = [];
  const group = `reader-${uuidv7()}`;
  const subscription = await bus.subscribe({ group }, async (batch) => void seen.push(...batch));
  await waitFor('reader caught up', async () => (await bus.lag(group)) === 0);
  await subscription.stop();
  return seen;
}

describe('transactional outbox', () => {
  let producerUrl: string;
  let producer: Pool;
  let bus: PostgresLogBus;
  const relays: OutboxRelay[] = [];

  beforeEach(async () => {
    producerUrl = await freshDatabase('producer');
    await migrateServiceDatabase(producerUrl);
    producer = createPool(producerUrl);
    await producer.query('CREATE TABLE tasks (id uuid PRIMARY KEY, reward integer)');
    bus = await PostgresLogBus.connect(await freshDatabase('bus'));
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await bus.close();
    await producer.end();
  });

  const startRelay = (target: EventBus = bus) => {
    const relay = new OutboxRelay({ databaseUrl: producerUrl, bus: target, safetyPollMs: 60_000 }).start();
    relays.push(relay);
    return relay;
  };

  /** The bus, recording every message the relay publishes through it. */
  const recordingBus = () => {
    const published: OutgoingMessage[] = [];
    const recording: EventBus = Object.create(bus, {
      publish: {
        value: async (messages: readonly OutgoingMessage[]) => {
          published.push(...messages);
          await bus.publish(messages);
        },
      },
    });
    return { published, recording };
  };

  async function completeTask(reward: number, fail = false): Promise<Envelope> {
    const event = completion(reward);
    await withTransaction(producer, async (tx) => {
      await tx.query('INSERT INTO tasks (id, reward) VALUES ($1, $2)', [event.aggregate_id, reward]);
      await appendToOutbox(tx, [event]);
      if (fail) throw new Error('the change is rolled back');
    });
    return event;
  }

  it('publishes an event if and only if its state change was committed, in commit order', async () => {
    startRelay();
    const kept = [await completeTask(1)];
    await expect(completeTask(2, true)).rejects.toThrow('rolled back');
    kept.push(await completeTask(3));
    await waitFor('outbox drained', async () => (await producer.query('SELECT 1 FROM ates_outbox')).rowCount === 0);
    const log = await logOf(bus);
    expect(log.map((delivery) => delivery.id)).toEqual(kept.map((event) => event.event_id));
    expect((await producer.query('SELECT reward FROM tasks ORDER BY reward')).rows).toEqual([
      { reward: 1 },
      { reward: 3 },
    ]);
  });

  it('publishes again after a crash between publishing and deleting, and the bus keeps one copy', async () => {
    let crashes = 0;
    const crashingAfterPublish: EventBus = Object.create(bus, {
      publish: {
        value: async (messages: readonly OutgoingMessage[]) => {
          await bus.publish(messages);
          if (crashes++ === 0) throw new Error('relay died before deleting');
        },
      },
    });
    const events = await Promise.all(Array.from({ length: 25 }, (_, index) => completeTask(index)));
    startRelay(crashingAfterPublish);
    await waitFor('outbox drained', async () => (await producer.query('SELECT 1 FROM ates_outbox')).rowCount === 0);
    expect(crashes).toBeGreaterThanOrEqual(2);
    const log = await logOf(bus);
    expect(log.map((delivery) => delivery.id).sort()).toEqual(events.map((event) => event.event_id).sort());
  });

  it('hands the bus each event with the partition key its definition names', async () => {
    const { published, recording } = recordingBus();
    const taskId = uuidv7();
    const assignee = uuidv7();
    const event = createEvent(
      TaskCompletedV1,
      { task_id: taskId, assignee_id: assignee, completion_reward: 2_500, completed_at: new Date().toISOString() },
      { aggregateId: taskId },
    );
    await withTransaction(producer, (tx) => appendToOutbox(tx, [event]));
    startRelay(recording);
    await waitFor('relayed', () => published.length === 1);
    expect(published[0]).toMatchObject({ id: event.event_id, key: taskId, partitionKey: assignee });
  });

  it('relays a large append (copied into the outbox) in order, each body and partition key as it was', async () => {
    const { published, recording } = recordingBus();
    // 400 events of about 400 bytes: more than the 64 KB from which the outbox is copied.
    const events = Array.from({ length: 400 }, (_, index) => completion(index));
    await withTransaction(producer, (tx) => appendToOutbox(tx, events));
    startRelay(recording);
    await waitFor('relayed', () => published.length === events.length);
    expect(published.map(({ id, body, partitionKey }) => ({ id, body: JSON.parse(body), partitionKey }))).toEqual(
      events.map((event) => ({ id: event.event_id, body: event, partitionKey: partitionKeyOf(event) })),
    );
  });

  it('publishes batches bounded by bytes, one right after another', async () => {
    const batches: number[] = [];
    const recording: EventBus = Object.create(bus, {
      publish: {
        value: async (messages: readonly OutgoingMessage[]) =>
          void batches.push(messages.reduce((bytes, message) => bytes + Buffer.byteLength(message.body), 0)),
      },
    });
    // 16 MB waiting, in events of 400 KB: at least two batches of at most 8 MiB.
    await producer.query(
      `INSERT INTO ates_outbox (event_id, event_name, aggregate_id, body)
       SELECT gen_random_uuid()::text, 'task.completed', 'big', $1 FROM generate_series(1, 40)`,
      [JSON.stringify({ padding: 'x'.repeat(400_000) })],
    );
    // The safety poll is 60 s: a relay that waited between batches would not drain in time.
    startRelay(recording);
    await waitFor('outbox drained', async () => (await producer.query('SELECT 1 FROM ates_outbox')).rowCount === 0);
    expect(batches.length).toBeGreaterThanOrEqual(2);
    for (const bytes of batches) expect(bytes).toBeLessThanOrEqual(maxBatchBytes);
  });

  it('lets one relay publish at a time, in outbox order', async () => {
    startRelay();
    startRelay();
    const events: Envelope[] = [];
    for (let index = 0; index < 60; index += 1) events.push(await completeTask(index));
    await waitFor('outbox drained', async () => (await producer.query('SELECT 1 FROM ates_outbox')).rowCount === 0);
    expect((await logOf(bus)).map((delivery) => delivery.id)).toEqual(events.map((event) => event.event_id));
    expect(relays.map((relay) => relay.publishedCount).sort()).toEqual([0, 60]);
  });

  it('carries a state change to another service exactly once, end to end', async () => {
    const consumerUrl = await freshDatabase('consumer');
    await migrateServiceDatabase(consumerUrl);
    const consumerPool = createPool(consumerUrl);
    await consumerPool.query('CREATE TABLE earnings (task_id uuid PRIMARY KEY, reward integer)');
    const consumer = await EventConsumer.start({
      bus,
      pool: consumerPool,
      group: 'earnings',
      handlers: [
        on(TaskCompletedV1, async (event, tx) => {
          await tx.query('INSERT INTO earnings VALUES ($1, $2)', [event.data.task_id, event.data.completion_reward]);
        }),
      ],
    });
    try {
      startRelay();
      for (let reward = 1; reward <= 10; reward += 1) await completeTask(reward);
      await waitFor('10 earnings', async () => (await consumerPool.query('SELECT 1 FROM earnings')).rowCount === 10);
      const { rows } = await consumerPool.query<{ total: number }>('SELECT sum(reward)::int AS total FROM earnings');
      expect(rows[0]!.total).toBe(10 * 2_000 + 55);
    } finally {
      await consumer.stop();
      await consumerPool.end();
    }
  });
});

describe('an external PostgreSQL server', () => {
  it('gets its database created and migrated from a URL', async () => {
    const url = await freshDatabase('external', externalPostgresUrl);
    await migrateServiceDatabase(url);
    await migrateServiceDatabase(url);
    const pool = createPool(url);
    try {
      const { rows } = await pool.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'ates_%' ORDER BY 1",
      );
      expect(rows.map((row) => row.table_name)).toEqual([
        'ates_dead_letters',
        'ates_inbox',
        'ates_outbox',
        'ates_platform_migrations',
        'ates_set_aside',
      ]);
    } finally {
      await pool.end();
    }
  });
});
