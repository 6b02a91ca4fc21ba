import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsJetStreamBus } from '../../../packages/platform/src/bus/index.ts';
import { partitionCount } from '../../../packages/platform/src/partitions/index.ts';
import { startAtes, type TestAtes } from '../../../tools/test/ates.ts';
import { accountingService } from '../src/service.ts';

/** The NATS server with JetStream that runs on this machine and in CI. */
const natsUrl = process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const stream = `T${randomBytes(6).toString('hex').toUpperCase()}`;
let ates: TestAtes;

beforeAll(async () => {
  ates = await startAtes([accountingService], { BUS_URL: natsUrl, BUS_STREAM: stream });
});
afterAll(async () => {
  await (await NatsJetStreamBus.connect(natsUrl, { stream })).destroy();
});

describe('the ledger on NATS, as an operator sees it', () => {
  it('shows which process holds each of the ledger group partitions', async () => {
    const { status, body } = await ates.call('accounting', 'GET', '/api/ops/status', ates.admin.token);
    expect(status).toBe(200);
    const ledger = (body.consumers as { group: string; partitions?: Record<string, string> }[]).find(
      (consumer) => consumer.group === 'accounting.ledger',
    );
    const thisProcess = `${hostname().replace(/[^-\w]/g, '_')}-${process.pid}-`;
    expect(Object.keys(ledger?.partitions ?? {})).toHaveLength(partitionCount);
    for (const member of Object.values(ledger!.partitions!)) expect(member.startsWith(thisProcess)).toBe(true);
  });
});
