// A consumer in its own process, so a test can SIGKILL it in the middle of a batch.
// It records every delivery it handles in the `seen` table of SEEN_DATABASE_URL.
import pg from 'pg';
import { connectBus } from '../../src/bus/index.ts';

const seen = new pg.Pool({ connectionString: process.env['SEEN_DATABASE_URL'] });
const bus = await connectBus(process.env);
await bus.subscribe({ group: process.env['GROUP']!, maxBatch: 20 }, async (batch) => {
  for (const delivery of batch) {
    await seen.query('INSERT INTO seen (event_id, position) VALUES ($1, $2)', [delivery.id, delivery.position]);
    // Slow enough that a kill lands mid-batch.
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
});
process.stdout.write('ready\n');
