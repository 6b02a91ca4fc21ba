import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JetStreamPublisher } from '../../src/bus/nats/JetStreamPublisher.ts';

const natsUrl = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const stream = `P${randomBytes(6).toString('hex').toUpperCase()}`;
let connection: NatsConnection;
let publisher: JetStreamPublisher;

beforeAll(async () => {
  connection = await connect({ servers: natsUrl.replace(/^nats:\/\//, '') });
  await (await jetstreamManager(connection)).streams.add({ name: stream, subjects: [`${stream}.>`] });
  publisher = new JetStreamPublisher(connection, { key: 'Ates-Aggregate-Key', name: 'Ates-Event-Name' });
});

afterAll(async () => {
  publisher.close();
  await (await jetstreamManager(connection)).streams.delete(stream);
  await connection.drain();
});

const message = (id: string) => ({ id, name: 'task.completed', key: 'k', body: '{}' });

describe('publishing to JetStream', () => {
  it('resolves once the stream has stored every message, each id once', async () => {
    const ids = ['a', 'b', 'c', 'a'].map((n) => `${stream}-${n}`);
    await publisher.publishAll(
      ids.map((id) => ({ subject: `${stream}.0.task.completed`, message: message(id) })),
      10_000,
    );
    const info = await (await jetstreamManager(connection)).streams.info(stream);
    expect(info.state.messages).toBe(3);
  });

  it('fails with the reason when no stream takes the subject', async () => {
    await expect(
      publisher.publishAll([{ subject: `NOWHERE${stream}.0.task.completed`, message: message('x') }], 10_000),
    ).rejects.toThrow(/no JetStream stream takes NOWHERE/);
  });

  it('fails when no acknowledgement comes in time', async () => {
    // A plain subscriber on a subject outside any stream takes the message and never answers.
    const subject = `SILENT${stream}.0.task.completed`;
    const silent = connection.subscribe(subject);
    try {
      await expect(publisher.publishAll([{ subject, message: message('y') }], 200)).rejects.toThrow(
        /did not acknowledge publishes within 200 ms/,
      );
    } finally {
      silent.unsubscribe();
    }
  });
});
