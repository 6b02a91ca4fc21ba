import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsJetStreamBus, natsAuthorization } from '../../packages/platform/src/bus/index.ts';
import { freePort } from '../../packages/platform/src/runtime/index.ts';

/** A NATS server with JetStream of our own, so it can be killed and restarted without touching anyone else's. */
export interface NatsServer {
  readonly url: string;
  /** Kills it and starts it again on the same port and store: streams and consumers survive. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** `configuration`: extra nats-server configuration, e.g. `natsAuthorization(…)` for per-service users. */
export async function startNatsServer(options: { configuration?: string; binary?: string } = {}): Promise<NatsServer> {
  const binary = options.binary ?? process.env['NATS_SERVER_BIN'] ?? 'nats-server';
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'ates-nats-'));
  const configFile = join(storeDir, 'nats.conf');
  if (options.configuration) writeFileSync(configFile, options.configuration, { mode: 0o600 });
  let child: ChildProcess;
  const launch = async () => {
    const args = [
      '-a',
      '127.0.0.1',
      '-p',
      String(port),
      '-js',
      '-sd',
      storeDir,
      ...(options.configuration ? ['-c', configFile] : []),
    ];
    child = spawn(binary, args, { stdio: 'ignore' });
    for (let tries = 0; !(await listening(port)); tries += 1) {
      if (tries > 100 || child.exitCode !== null) throw new Error(`nats-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    url: `nats://127.0.0.1:${port}`,
    async restart() {
      await kill('SIGKILL');
      await launch();
    },
    async stop() {
      await kill('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/**
 * A NATS server configured as an operator would: a user per service that may publish only
 * its own events (natsAuthorization), an admin user, and the stream created by the admin.
 * Returns the environment that gives each service its identity and the tools the admin's.
 */
export async function startGuardedNatsServer(
  serviceNames: readonly string[],
  stream = 'ATES',
  options: { leaseMs?: number } = {},
): Promise<{ server: NatsServer; env: Record<string, string> }> {
  const secret = () => randomBytes(16).toString('hex');
  const admin = { user: 'ates-admin', password: secret() };
  const passwords = Object.fromEntries(serviceNames.map((name) => [name, secret()]));
  const server = await startNatsServer({ configuration: natsAuthorization({ stream, admin, services: passwords }) });
  const as = (user: string, password: string) => {
    const url = new URL(server.url);
    url.username = user;
    url.password = password;
    return url.href.replace(/\/$/, '');
  };
  // The admin creates the stream and the lease bucket, whose TTL is the lease time.
  await (await NatsJetStreamBus.connect(as(admin.user, admin.password), { stream, ...options })).close();
  const env: Record<string, string> = { BUS_URL: as(admin.user, admin.password), BUS_STREAM: stream };
  for (const name of serviceNames) env[`${name.toUpperCase()}_BUS_URL`] = as(name, passwords[name]!);
  return { server, env };
}
