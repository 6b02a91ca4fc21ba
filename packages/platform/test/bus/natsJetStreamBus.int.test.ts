import { randomBytes } from 'node:crypto';
import {
  AckPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { connect, headers } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { type NatsServer, startNatsServer } from '../../../../tools/processes/natsServer.ts';
import { freshDatabase } from '../../../../tools/test/databases.ts';
import { waitFor } from '../../../../tools/test/waitFor.ts';
import { type Delivery, NatsJetStreamBus, natsAuthorization, type OutgoingMessage } from '../../src/bus/index.ts';
import { partitionCount, partitionOf } from '../../src/partitions/index.ts';
import { describeBusContract } from './busContract.ts';
import { taskCompletions } from './testEvents.ts';

/** The NATS server with JetStream that runs on this machine and in CI. */
const natsUrl = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const ackWaitMs = 1_000;
let stream = '';
const streams: string[] = [];

afterAll(async () => {
  for (const name of streams) await (await NatsJetStreamBus.connect(natsUrl, { stream: name })).destroy();
  await guarded?.stop();
});

/** A server of our own with per-service users, configured as an operator would (natsAuthorization). */
let guarded: NatsServer | undefined;
const guardedStream = 'GUARDED';
const passwords = { tasks: randomBytes(12).toString('hex'), admin: randomBytes(12).toString('hex') };
async function guardedServer(): Promise<NatsServer> {
  if (guarded) return guarded;
  guarded = await startNatsServer({
    configuration: natsAuthorization({
      stream: guardedStream,
      admin: { user: 'ates-admin', password: passwords.admin },
      services: { tasks: passwords.tasks },
    }),
  });
  // The operator creates the stream; services only use it.
  const port = new URL(guarded.url).port;
  await (
    await NatsJetStreamBus.connect(`nats://ates-admin:${passwords.admin}@127.0.0.1:${port}`, { stream: guardedStream })
  ).close();
  return guarded;
}

/** Straight to JetStream, as a writer that skips the adapter would. */
async function onJetStream(work: (js: JetStreamClient, jsm: JetStreamManager) => Promise<unknown>): Promise<void> {
  const connection = await connect({ servers: natsUrl.replace(/^nats:\/\//, '') });
  try {
    await work(jetstream(connection), await jetstreamManager(connection));
  } finally {
    await connection.drain();
  }
}
function publishRaw(js: JetStreamClient, message: OutgoingMessage) {
  const meta = headers();
  meta.set('Ates-Aggregate-Key', message.key);
  meta.set('Ates-Event-Name', message.name);
  return js.publish(`${stream}.${message.name}`, message.body, { msgID: message.id, headers: meta });
}

describeBusContract('NATS JetStream', {
  async freshBus() {
    stream = `T${randomBytes(6).toString('hex').toUpperCase()}`;
    streams.push(stream);
    return NatsJetStreamBus.connect(natsUrl, { stream, ackWaitMs, leaseMs: 1_500 });
  },
  membersShareWork: true,
  childEnv: () => ({ BUS_URL: natsUrl, BUS_STREAM: stream, BUS_ACK_WAIT_MS: String(ackWaitMs) }),
  consumerDatabaseUrl: () => freshDatabase('consumer'),
  storeDirectly: (message) => onJetStream((js) => publishRaw(js, message)),
  storeOversized: (message) =>
    onJetStream(async (js, jsm) => {
      // As if stored before the stream had its limit.
      const { config } = await jsm.streams.info(stream);
      await jsm.streams.update(stream, { ...config, max_msg_size: -1 });
      try {
        await publishRaw(js, message);
      } finally {
        await jsm.streams.update(stream, config);
      }
    }),
  async busAs(service) {
    if (service !== 'tasks') throw new Error('the guarded server knows the tasks service only');
    const port = new URL((await guardedServer()).url).port;
    return NatsJetStreamBus.connect(`nats://tasks:${passwords.tasks}@127.0.0.1:${port}`, {
      stream: guardedStream,
      ackWaitMs,
    });
  },
});

/** A bus on a stream of its own, removed after the tests. */
async function busOnFreshStream(): Promise<NatsJetStreamBus> {
  const name = `T${randomBytes(6).toString('hex').toUpperCase()}`;
  streams.push(name);
  return NatsJetStreamBus.connect(natsUrl, { stream: name, ackWaitMs, leaseMs: 1_500 });
}

describe('a group that becomes partitioned', () => {
  it('refuses while its whole-stream consumer has events left, and retires it once they are handled', async () => {
    const bus = await busOnFreshStream();
    try {
      const before = await bus.subscribe({ group: 'accounting.ledger' }, async () => undefined);
      await before.stop();
      await bus.publish(taskCompletions(5));
      await expect(
        bus.subscribe({ group: 'accounting.ledger', partitioned: true }, async () => undefined),
      ).rejects.toThrow(/still has 5 events on its whole-stream consumer/);

      const draining = await bus.subscribe({ group: 'accounting.ledger' }, async () => undefined);
      await waitFor('the old consumer to drain', async () => (await bus.lag('accounting.ledger')) === 0);
      await draining.stop();
      const seen: Delivery[] = [];
      await bus.subscribe({ group: 'accounting.ledger', partitioned: true }, async (batch) => void seen.push(...batch));
      const after = taskCompletions(5);
      await bus.publish(after);
      await waitFor('the partitioned group to get what came after', () => seen.length >= 5);
      expect(seen.map((delivery) => delivery.id).sort()).toEqual(after.map((event) => event.id).sort());
    } finally {
      await bus.close();
    }
  });
});

describe('a member slower than the ack wait', () => {
  it('is handed each event once while it holds them, in hand or waiting', async () => {
    const bus = await busOnFreshStream();
    try {
      const events = taskCompletions(6);
      await bus.publish(events);
      const seen: Delivery[] = [];
      // Batches of two, each held three ack waits: the later ones wait here as long.
      await bus.subscribe({ group: 'slow', maxBatch: 2 }, async (batch) => {
        seen.push(...batch);
        await new Promise((resolve) => setTimeout(resolve, 3 * ackWaitMs));
      });
      await waitFor('every event handled', async () => (await bus.lag('slow')) === 0, 30_000);
      expect(seen.map((delivery) => [delivery.id, delivery.attempt])).toEqual(events.map((event) => [event.id, 1]));
    } finally {
      await bus.close();
    }
  });
});

/** A partition key for each partition, in partition order. */
function partitionKeys(): string[] {
  const keys: string[] = [];
  for (let n = 0; keys.filter(Boolean).length < partitionCount; n += 1) keys[partitionOf(`key-${n}`)] ??= `key-${n}`;
  return keys;
}

describe('a member that lags', () => {
  it('pulls no further ahead than two batches and a pull a partition', async () => {
    const name = `T${randomBytes(6).toString('hex').toUpperCase()}`;
    streams.push(name);
    const bus = await NatsJetStreamBus.connect(natsUrl, { stream: name, ackWaitMs: 60_000, leaseMs: 1_500 });
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    try {
      // 250 events in each partition: every first pull of 64 is answered in full, none waits.
      const keyOf = partitionKeys();
      await bus.publish(taskCompletions(2_000).map((event, index) => ({ ...event, partitionKey: keyOf[index % 8] })));
      let handed = 0;
      await bus.subscribe({ group: 'accounting.ledger', partitioned: true, maxBatch: 10 }, async (batch) => {
        handed += batch.length;
        await blocked;
      });
      // The client's own consume() keeps a pull waiting at every partition and takes all 2,000.
      const partitionConsumers = async () => {
        const infos: { num_waiting: number; num_ack_pending: number }[] = [];
        await onJetStream(async (_, jsm) => {
          for await (const info of jsm.consumers.list(name)) infos.push(info);
        });
        return infos;
      };
      await waitFor('the member to stop asking for more', async () => {
        const infos = await partitionConsumers();
        return handed > 0 && infos.length === 8 && infos.every((info) => info.num_waiting === 0);
      });
      const held = (await partitionConsumers()).reduce((sum, info) => sum + info.num_ack_pending, 0);
      // A batch in hand, two waiting, and at most one pull of 64 a partition past them.
      expect(held).toBeLessThanOrEqual(10 + 2 * 10 + 8 * 64);
    } finally {
      release();
      await bus.close();
    }
  });
});

describe('a partition consumer made with an eighth of the bound', () => {
  it('gets the whole bound back when a member subscribes', async () => {
    const name = `T${randomBytes(6).toString('hex').toUpperCase()}`;
    streams.push(name);
    const bus = await NatsJetStreamBus.connect(natsUrl, { stream: name, ackWaitMs, maxAckPending: 2_000 });
    try {
      await onJetStream((_, jsm) =>
        jsm.consumers.add(name, {
          durable_name: 'accounting_ledger__p3',
          filter_subject: `${name}.3.>`,
          ack_policy: AckPolicy.Explicit,
          max_ack_pending: 250,
        }),
      );
      await bus.subscribe({ group: 'accounting.ledger', partitioned: true }, async () => undefined);
      let bound: number | undefined;
      await onJetStream(
        async (_, jsm) => (bound = (await jsm.consumers.info(name, 'accounting_ledger__p3')).config.max_ack_pending),
      );
      expect(bound).toBe(2_000);
    } finally {
      await bus.close();
    }
  });
});
