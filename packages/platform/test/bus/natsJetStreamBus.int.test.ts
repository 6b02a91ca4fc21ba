import { randomBytes, randomUUID } from 'node:crypto';
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
/** As subjects were before partitions: `<stream>.<name>`. */
function publishRaw(js: JetStreamClient, message: OutgoingMessage, into = stream) {
  const meta = headers();
  meta.set('Ates-Aggregate-Key', message.key);
  meta.set('Ates-Event-Name', message.name);
  return js.publish(`${into}.${message.name}`, message.body, { msgID: message.id, headers: meta });
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
  const bus = await NatsJetStreamBus.connect(natsUrl, { stream: name, ackWaitMs, leaseMs: 1_500 });
  streamOfBus.set(bus, name);
  return bus;
}

const streamOfBus = new WeakMap<NatsJetStreamBus, string>();
const streamOf = (bus: NatsJetStreamBus) => streamOfBus.get(bus)!;

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

/** Events of the `account` family, which the bus carries as it would any: it reads no bodies. */
function signOuts(count: number): OutgoingMessage[] {
  return Array.from({ length: count }, (_, n) => ({
    id: randomUUID(),
    name: 'account.signed_out',
    key: `account-${n}`,
    body: JSON.stringify({ n }),
  }));
}

/** A consumer's state on the server, read from outside the adapter. */
async function consumerState(streamName: string, durable: string) {
  let found: Awaited<ReturnType<JetStreamManager['consumers']['info']>> | undefined;
  await onJetStream(async (_, jsm) => {
    found = await jsm.consumers.info(streamName, durable).catch(() => undefined);
  });
  return found;
}

describe('a group that names the events it handles', () => {
  it('is sent only the events of their families', async () => {
    const bus = await busOnFreshStream();
    try {
      const accountEvents = signOuts(2);
      await bus.publish([...taskCompletions(3), ...accountEvents]);
      const seen: Delivery[] = [];
      await bus.subscribe({ group: 'tasks.accounts', names: ['account.signed_out'] }, async (batch) => {
        seen.push(...batch);
      });
      await waitFor('the account events', () => seen.length >= 2);
      await waitFor('no lag', async () => (await bus.lag('tasks.accounts')) === 0);
      const state = await consumerState(streamOf(bus), 'tasks_accounts__for_account');
      expect({ sent: state?.delivered.consumer_seq, seen: seen.map((delivery) => delivery.id) }).toEqual({
        sent: 2,
        seen: accountEvents.map((event) => event.id),
      });
    } finally {
      await bus.close();
    }
  });

  it('moves on from its whole-stream consumer where that one stopped, losing nothing', async () => {
    const bus = await busOnFreshStream();
    try {
      const before = [...signOuts(2), ...taskCompletions(2)];
      await bus.publish(before);
      const wholeStream: Delivery[] = [];
      const first = await bus.subscribe({ group: 'notifications.payouts' }, async (batch) => {
        wholeStream.push(...batch);
      });
      await waitFor('the whole stream handled', () => wholeStream.length >= 4);
      await first.stop();
      const after = [...taskCompletions(3), ...signOuts(2)];
      await bus.publish(after);
      const byFamily: Delivery[] = [];
      await bus.subscribe(
        { group: 'notifications.payouts', names: ['account.signed_out', 'task.completed'] },
        async (batch) => void byFamily.push(...batch),
      );
      await waitFor('the events published since', () => byFamily.length >= 5);
      await waitFor('no lag', async () => (await bus.lag('notifications.payouts')) === 0);
      expect({
        seen: byFamily.map((delivery) => delivery.id).sort(),
        wholeStreamConsumer: await consumerState(streamOf(bus), 'notifications_payouts'),
      }).toEqual({ seen: after.map((event) => event.id).sort(), wholeStreamConsumer: undefined });
    } finally {
      await bus.close();
    }
  });

  it('reads the whole stream while it holds events from before partitions', async () => {
    const bus = await busOnFreshStream();
    try {
      const [old, current] = [taskCompletions(2), taskCompletions(1)];
      for (const event of old) await onJetStream((js) => publishRaw(js, event, streamOf(bus)));
      await bus.publish(current);
      const seen: Delivery[] = [];
      await bus.subscribe({ group: 'analytics', names: ['task.completed'] }, async (batch) => void seen.push(...batch));
      await waitFor('every event', () => seen.length >= 3);
      expect(seen.map((delivery) => delivery.id)).toEqual([...old, ...current].map((event) => event.id));
    } finally {
      await bus.close();
    }
  });

  it('is rewound by seek in every family', async () => {
    const bus = await busOnFreshStream();
    try {
      const events = [...taskCompletions(3), ...signOuts(2)];
      await bus.publish(events);
      const options = { group: 'analytics', names: ['account.signed_out', 'task.completed'] };
      const first: Delivery[] = [];
      const reading = await bus.subscribe(options, async (batch) => void first.push(...batch));
      await waitFor('every event handled', () => first.length >= 5);
      await reading.stop();
      await bus.seek('analytics', 0);
      const again: Delivery[] = [];
      await bus.subscribe(options, async (batch) => void again.push(...batch));
      await waitFor('every event again', () => again.length >= 5);
      expect(again.map((delivery) => delivery.id).sort()).toEqual(events.map((event) => event.id).sort());
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
