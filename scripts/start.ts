// `npm start`: the whole of aTES on one machine. Starts an embedded PostgreSQL unless
// DATABASE_URL (or per-service URLs) point elsewhere, then every service as its own
// process, and stops all of it on Ctrl-C, keeping the data for the next start.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { provisionBusProducers } from '@ates/platform/bus';
import { readInteger, readOptional, readString, type ServiceName, servicePort, services } from '@ates/platform/config';
import { databaseUrlFor } from '@ates/platform/db';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from '@ates/platform/embedded';
import { configurationExitCode } from '@ates/platform/service';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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
let postgres: EmbeddedPostgresServer | undefined;
const external =
  readOptional('DATABASE_URL') ??
  chosen.map((name) => readOptional(`${name.toUpperCase()}_DATABASE_URL`)).find(Boolean);
if (!external) {
  const dataDir = resolve(root, readString('ATES_DATA_DIR', 'data'), 'postgres');
  const port = readInteger('EMBEDDED_POSTGRES_PORT', 54329);
  console.log(`Starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})…`);
  postgres = await startEmbeddedPostgres({ dataDir, port });
  env['DATABASE_URL'] = postgres.serverUrl;
}
env['ATES_EMBEDDED'] ??= postgres ? 'true' : 'false';

// On the PostgreSQL log each service publishes as a role of its own, which the database
// lets append only that service's events. (On NATS the operator configures users; see README.)
const busUrl = readOptional('BUS_URL', env);
const logUrl = busUrl?.startsWith('nats://')
  ? undefined
  : busUrl?.startsWith('postgres')
    ? busUrl
    : databaseUrlFor('bus', env);
if (logUrl) {
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

const children = new Map<ServiceName, ChildProcess>();
let stopping = false;

function launch(name: ServiceName): void {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services', name, 'src', 'main.ts')], {
    env: { ...env, LOG_LEVEL: env['LOG_LEVEL'] ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${name}]`.padEnd(16);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().trimEnd().split('\n')) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) return;
    if (code === configurationExitCode) {
      // Its configuration is wrong (the reason is printed above): restarting would only repeat it.
      console.log(`${prefix}refused its configuration; fix it and start again.`);
      void stopAll(1);
      return;
    }
    // A service that dies is brought back; the others keep working meanwhile.
    console.log(`${prefix}exited (${signal ?? code}); restarting in 2 s`);
    setTimeout(() => !stopping && launch(name), 2_000);
  });
  children.set(name, child);
}

async function healthy(name: ServiceName): Promise<boolean> {
  const url = `http://127.0.0.1:${servicePort(name, env)}/healthz`;
  for (let tries = 0; tries < 240; tries += 1) {
    if (
      await fetch(url).then(
        (response) => response.ok,
        () => false,
      )
    )
      return true;
    await new Promise((done) => setTimeout(done, 250));
  }
  return false;
}

async function stopAll(exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping aTES…');
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
  console.log('Stopped. Data is kept for the next start.');
  process.exit(exitCode);
}
process.on('SIGINT', () => void stopAll());
process.on('SIGTERM', () => void stopAll());

for (const name of chosen) launch(name);
const results = await Promise.all(chosen.map(async (name) => [name, await healthy(name)] as const));
console.log('\naTES is running:');
for (const [name, ok] of results)
  console.log(
    `  ${name.padEnd(14)} http://127.0.0.1:${servicePort(name, env)}/ ${ok ? '' : '(not healthy yet — see its log above)'}`,
  );
if (chosen.includes('auth' as ServiceName)) {
  // A configured password is a secret: it is never printed, only the development default is.
  const password = env['ATES_ADMIN_PASSWORD'] ? 'the password you configured (ATES_ADMIN_PASSWORD)' : 'popug-admin';
  console.log(
    `\nSign in as ${env['ATES_ADMIN_EMAIL'] ?? 'admin@uberpopug.test'} with ${password} (set ATES_ADMIN_EMAIL and ATES_ADMIN_PASSWORD to change).`,
  );
}
console.log('Press Ctrl-C to stop.');
