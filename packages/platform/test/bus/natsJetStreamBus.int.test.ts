import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { freshDatabase } from '../../../../tools/test/databases.ts';
import { NatsJetStreamBus } from '../../src/bus/index.ts';
import { describeBusContract } from './busContract.ts';

/** The NATS server with JetStream that runs on this machine and in CI. */
const natsUrl = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const ackWaitMs = 1_000;
let stream = '';
const streams: string[] = [];

afterAll(async () => {
  for (const name of streams) await (await NatsJetStreamBus.connect(natsUrl, { stream: name })).destroy();
});

describeBusContract('NATS JetStream', {
  async freshBus() {
    stream = `T${randomBytes(6).toString('hex').toUpperCase()}`;
    streams.push(stream);
    return NatsJetStreamBus.connect(natsUrl, { stream, ackWaitMs });
  },
  childEnv: () => ({ BUS_URL: natsUrl, BUS_STREAM: stream, BUS_ACK_WAIT_MS: String(ackWaitMs) }),
  consumerDatabaseUrl: () => freshDatabase('consumer'),
});
