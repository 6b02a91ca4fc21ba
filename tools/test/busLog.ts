import { decodeEnvelope, type Envelope } from '../../packages/contracts/src/index.ts';
import { connectBus } from '../../packages/platform/src/bus/index.ts';
import { waitFor } from './waitFor.ts';

/** Every event on the bus so far, read by a fresh consumer group and validated against the registry. */
export async function readWholeLog(env: Record<string, string | undefined>): Promise<Envelope[]> {
  const bus = await connectBus(env);
  const seen: Envelope[] = [];
  const group = `test-reader-${Math.random().toString(36).slice(2)}`;
  const subscription = await bus.subscribe({ group, maxBatch: 5_000 }, async (batch) => {
    for (const delivery of batch) {
      const decoded = decodeEnvelope(delivery.body);
      if (!decoded.ok) throw new Error(`invalid event on the bus: ${decoded.reason}`);
      seen.push(decoded.envelope);
    }
  });
  try {
    await waitFor('the test reader to catch up', async () => (await bus.lag(group)) === 0, 60_000);
  } finally {
    await subscription.stop();
    await bus.close();
  }
  return seen;
}
