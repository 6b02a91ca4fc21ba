import pg from 'pg';
import { readOptional } from '../config/index.ts';

/**
 * Where a service's database lives: `<SERVICE>_DATABASE_URL` names it exactly;
 * otherwise it is `ates_<service>` on the server of `DATABASE_URL`.
 */
export function databaseUrlFor(
  name: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const own = readOptional(`${name.toUpperCase()}_DATABASE_URL`, env);
  if (own) return own;
  const server = readOptional('DATABASE_URL', env);
  return server ? withDatabase(server, `ates_${name}`) : undefined;
}

/** `<SERVICE>_READ_DATABASE_URL`: a read-only replica that serves the dashboards' queries. */
export function readReplicaUrlFor(
  name: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  return readOptional(`${name.toUpperCase()}_READ_DATABASE_URL`, env);
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates the database named in `url` if it is missing (on the same server, via its `postgres` database). */
export async function ensureDatabase(url: string): Promise<void> {
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        // Two processes may race to create it; losing the race is fine.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await admin.end();
  }
}
