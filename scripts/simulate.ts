// `npm run simulate -- [--schedules N] [--seed S] [--database-url URL]`: drives the real
// ledger and analytics code through N random schedules (concurrent closes, crashes at every
// step, redeliveries, out-of-order delivery) and checks each against an independent model.
// Prints the seed of the first failing schedule; that seed alone replays it exactly.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '@ates/platform/embedded';
import { freePort } from '@ates/platform/runtime';
import { simulateLedger } from '../tools/simulation/simulateLedger.ts';
import { SimulationWorld } from '../tools/simulation/simulationWorld.ts';

const { values } = parseArgs({
  options: {
    schedules: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    'database-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const usage = 'Usage: npm run simulate -- [--schedules 1000] [--seed S] [--database-url postgres://…/postgres]';
const schedules = Number(values.schedules);
const firstSeed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (values.help || !Number.isSafeInteger(schedules) || schedules < 1 || !Number.isSafeInteger(firstSeed)) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

// Without a server of its own, a throw-away embedded PostgreSQL, as the tests use.
const dataDir = values['database-url'] ? undefined : await mkdtemp(join(tmpdir(), 'ates-simulate-'));
const server = dataDir
  ? await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      settings: { fsync: 'off', synchronous_commit: 'off' },
    })
  : undefined;
const world = await SimulationWorld.create(values['database-url'] ?? server!.serverUrl, `simulation_${process.pid}`);
const started = Date.now();
let exitCode = 0;
try {
  console.log(`Simulating ${schedules} schedules from seed ${firstSeed}…`);
  const report = await simulateLedger(world, {
    firstSeed,
    schedules,
    onSchedule: (seed, outcome) => {
      if (schedules <= 10) console.log(`seed ${seed}: ${JSON.stringify(outcome.counts)}`);
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const t = report.totals;
  console.log(
    `${report.schedules} schedules in ${seconds} s: ${t.deliveries} deliveries, ${t.closes} closes, ${t.crashes} crashes, ${t.redeliveries} redeliveries, ${t.days} business days, ${t.postings} postings checked.`,
  );
  if (report.failure) {
    exitCode = 1;
    console.log(`\nFAILED at seed ${report.failure.seed}:\n  ${report.failure.violations.join('\n  ')}`);
    console.log(`\nReplay it with: npm run simulate -- --seed ${report.failure.seed} --schedules 1`);
  } else {
    console.log('Every schedule kept every rule.');
  }
} finally {
  await world.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = exitCode;
