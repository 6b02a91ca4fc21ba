// The supervisor `npm start` runs (see start.ts): starts an embedded PostgreSQL unless
// DATABASE_URL (or per-service URLs) point elsewhere, then every service as its own
// process; shows progress, then one banner when all are ready; on SIGTERM stops the
// services first and PostgreSQL last, keeping the data for the next start.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { provisionBusProducers } from '@ates/platform/bus';
import {
  publicUrl,
  readInteger,
  readOptional,
  readString,
  type ServiceName,
  serviceNodeFlags,
  services,
} from '@ates/platform/config';
import { databaseUrlFor } from '@ates/platform/db';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from '@ates/platform/embedded';
import { configurationExitCode, type StartupMessage } from '@ates/platform/service';

/** The project: the supervisor runs from a bundle in dist/scripts or from its source in scripts. */
const root = process.env['ATES_ROOT'] ?? join(dirname(fileURLToPath(import.meta.url)), '..');

const descriptions: Record<ServiceName, string> = {
  auth: 'accounts, sign-in (the SSO)',
  tasks: 'all tasks, My tasks, Shuffle',
  accounting: 'balances, audit log, Close day, earnings chart',
  analytics: 'admins only',
  notifications: 'the mailbox: emails aTES sent',
};

/** How long a service may go without any sign of progress before the banner stops waiting for it. */
const patienceMs = 60_000;

async function supervise(): Promise<void> {
  // Counted from `npm start`, compiling included.
  const startedAt = Number(process.env['ATES_STARTED_AT']) || Date.now();
  const seconds = (since: number) => `${((Date.now() - since) / 1_000).toFixed(1)} s`;
  const { values } = parseArgs({ options: { service: { type: 'string', multiple: true } } });
  const available = (Object.keys(services) as ServiceName[]).filter((name) =>
    existsSync(join(root, 'services', name, 'src', 'main.ts')),
  );
  const chosen = (values.service ?? available) as ServiceName[];
  const unknown = chosen.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    console.error(`Unknown service ${unknown.join(', ')}; there are: ${available.join(', ')}`);
    process.exit(2);
  }

  const env: Record<string, string | undefined> = { ...process.env };
  delete env['ATES_ROOT'];
  delete env['ATES_STARTED_AT'];
  // A person at a terminal reads the services' logs; a file or a log shipper gets JSON lines.
  if (process.stdout.isTTY && env['NODE_ENV'] !== 'production') {
    env['ATES_LOG_FORMAT'] ??= 'pretty';
    env['FORCE_COLOR'] ??= '1';
  }
  let postgres: EmbeddedPostgresServer | undefined;
  const external =
    readOptional('DATABASE_URL') ??
    chosen.map((name) => readOptional(`${name.toUpperCase()}_DATABASE_URL`)).find(Boolean);
  if (!external) {
    const dataDir = resolve(root, readString('ATES_DATA_DIR', 'data'), 'postgres');
    const port = readInteger('EMBEDDED_POSTGRES_PORT', 54329);
    const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
    const since = Date.now();
    const shown = dataDir.startsWith(process.cwd()) ? relative(process.cwd(), dataDir) || '.' : dataDir;
    step('PostgreSQL', fresh ? `creating a database cluster in ${shown}…` : 'starting…');
    postgres = await startEmbeddedPostgres({ dataDir, port });
    step('PostgreSQL', `ready on 127.0.0.1:${port} (${seconds(since)})`);
    env['DATABASE_URL'] = postgres.serverUrl;
  }
  env['ATES_EMBEDDED'] ??= postgres ? 'true' : 'false';
  await provisionProducers(env, chosen);

  const children = new Map<ServiceName, ChildProcess>();
  const ready = new Map<ServiceName, string>();
  const lastProgress = new Map<ServiceName, { step: string; at: number }>();
  /** Services that died before they were first ready: the banner does not wait on a crash loop. */
  const crashedEarly = new Set<ServiceName>();
  let bannerShown = false;
  let stopping = false;

  function launch(name: ServiceName, again: boolean): void {
    const since = Date.now();
    lastProgress.set(name, { step: 'starting its process', at: since });
    const child = spawn(process.execPath, [...serviceNodeFlags(env), ...serviceCommand(name)], {
      env: { ...env, LOG_LEVEL: env['LOG_LEVEL'] ?? 'warn' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const prefix = `[${name}]`.padEnd(16);
    for (const stream of [child.stdout, child.stderr])
      stream?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().trimEnd().split('\n')) process.stdout.write(`${prefix}${line}\n`);
      });
    child.on('message', (message: StartupMessage) => {
      if (message.ates === 'progress') {
        lastProgress.set(name, { step: message.step, at: Date.now() });
        if (!bannerShown) step(name, `${message.step}…`);
        return;
      }
      ready.set(name, message.url);
      if (!bannerShown) step(name, `ready (${seconds(since)})`);
      else console.log(`${again ? 'Back up' : 'Up now'}: ${name} at ${publicUrl(name, env)}/`);
    });
    child.on('exit', (code, signal) => {
      children.delete(name);
      ready.delete(name);
      if (stopping) return;
      if (code === configurationExitCode) {
        // Its configuration is wrong (the reason is printed above): restarting would only repeat it.
        console.log(`${prefix}refused its configuration; fix it and start again.`);
        void stopAll(1);
        return;
      }
      if (!bannerShown && !again) crashedEarly.add(name);
      // A service that dies is brought back; the others keep working meanwhile.
      console.log(`${prefix}exited (${signal ?? code}); restarting in 2 s`);
      setTimeout(() => !stopping && launch(name, true), 2_000);
    });
    children.set(name, child);
  }

  async function stopAll(exitCode = 0): Promise<void> {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping aTES: the services first, then PostgreSQL…');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((done) => {
            const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(killer);
              done();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await postgres?.stop();
    console.log(postgres ? 'Stopped. Data is kept for the next start.' : 'Stopped.');
    process.exit(exitCode);
  }
  // embedded-postgres hooks SIGINT and SIGTERM to stop its server at once; here the services
  // must stop first, so the supervisor's own handler is the only one.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stopAll());
  }
  process.on('message', (message: { ates?: string }) => {
    if (message.ates === 'stop') void stopAll();
  });
  // The terminal's process (start.ts) is gone: nobody is left to press Ctrl-C.
  process.on('disconnect', () => void stopAll());

  for (const name of chosen) launch(name, false);
  // Waits while every service still missing keeps making progress; one that goes quiet
  // for a minute is named in the banner and announced when it does come up.
  for (;;) {
    const missing = chosen.filter((name) => !ready.has(name));
    const stalled = missing.filter(
      (name) => crashedEarly.has(name) || Date.now() - lastProgress.get(name)!.at > patienceMs,
    );
    if (missing.length === stalled.length) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  bannerShown = true;
  banner(chosen, ready, env, seconds(startedAt), lastProgress);
}

function step(what: string, text: string): void {
  console.log(`  ${what.padEnd(14)} ${text}`);
}

function banner(
  chosen: ServiceName[],
  ready: Map<ServiceName, string>,
  env: Record<string, string | undefined>,
  took: string,
  lastProgress: Map<ServiceName, { step: string }>,
): void {
  const late = chosen.filter((name) => !ready.has(name));
  console.log(`\naTES is ${late.length ? 'partly ' : ''}running (ready in ${took}):`);
  for (const name of chosen) {
    const url = `${publicUrl(name, env)}/`;
    const state = ready.has(name) ? descriptions[name] : `not ready yet: ${lastProgress.get(name)!.step}…`;
    console.log(`  ${name.padEnd(14)} ${url.padEnd(28)} ${state}`);
  }
  if (late.length) console.log(`${late.join(', ')} will be announced here when ready; its log is above.`);
  if (chosen.includes('auth')) {
    // A configured password is a secret: it is never printed, only the development default is.
    const password = env['ATES_ADMIN_PASSWORD'] ? 'the password you configured (ATES_ADMIN_PASSWORD)' : 'popug-admin';
    console.log(
      `\nSign in as ${env['ATES_ADMIN_EMAIL'] ?? 'admin@uberpopug.test'} with ${password} (set ATES_ADMIN_EMAIL and ATES_ADMIN_PASSWORD to change).`,
    );
  }
  console.log('Each service describes its API at /docs. Press Ctrl-C to stop.');
}

/** The compiled service when `npm start` (or `npm run build`) made one, else its TypeScript through tsx. */
function serviceCommand(name: ServiceName): string[] {
  const compiled = join(root, 'services', name, 'dist', 'main.js');
  if (existsSync(compiled)) return ['--enable-source-maps', compiled];
  return ['--import', 'tsx', join(root, 'services', name, 'src', 'main.ts')];
}

// On the PostgreSQL log each service publishes as a role of its own, which the database
// lets append only that service's events. (On NATS the operator configures users; see README.)
async function provisionProducers(env: Record<string, string | undefined>, chosen: ServiceName[]): Promise<void> {
  const busUrl = readOptional('BUS_URL', env);
  const logUrl = busUrl?.startsWith('nats://')
    ? undefined
    : busUrl?.startsWith('postgres')
      ? busUrl
      : databaseUrlFor('bus', env);
  if (!logUrl) return;
  try {
    const producerUrls = await provisionBusProducers(logUrl, chosen);
    for (const name of chosen) env[`${name.toUpperCase()}_BUS_URL`] ??= producerUrls[name];
  } catch (error) {
    // A database user without CREATEROLE cannot make the roles: say so, and run as that user.
    if ((error as { code?: string }).code !== '42501') throw error;
    console.warn(
      'Warning: the database user may not create roles, so every service publishes to the bus as that user ' +
        "(nothing stops one from publishing another service's events). Grant CREATEROLE to have a role per service.",
    );
  }
}

try {
  await supervise();
} catch (error) {
  // One line saying what went wrong (a port in use, a data directory it may not write, …).
  console.error(`aTES could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
