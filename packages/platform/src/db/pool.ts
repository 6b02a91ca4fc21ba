import pg from 'pg';
import { takeAfterCommit } from './afterCommit.ts';

export type Pool = pg.Pool;
export type Tx = pg.PoolClient;

// BIGINT columns (positions, counts) come back as strings unless told otherwise;
// everything aTES counts fits in a JS safe integer.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createPool(connectionString: string, options: { max?: number; applicationName?: string } = {}): Pool {
  // A server that does not answer must fail the request, not hold it forever.
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName,
    connectionTimeoutMillis: 5_000,
  });
  // A client losing its server must not crash the process: idle ones are reported on the pool,
  // checked-out ones on themselves (their pending query fails, which is what callers see).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `work` in one transaction: all of it is committed, or none of it. */
export async function withTransaction<T>(pool: Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    for (const effect of takeAfterCommit(client)) effect();
    return result;
  } catch (error) {
    takeAfterCommit(client);
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
