import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { ensureDatabase, withDatabase } from '../../packages/platform/src/db/index.ts';

/** The PostgreSQL that runs on this machine (CI has one); used to prove the external-server path. */
export const externalPostgresUrl =
  process.env['EXTERNAL_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A brand-new empty database for one test file, on the embedded server unless told
 * otherwise; dropped when the file's tests are done.
 */
export async function freshDatabase(label: string, serverUrl: string = inject('embeddedPostgresUrl')): Promise<string> {
  const name = `t_${label.replace(/\W/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(serverUrl, name);
  await ensureDatabase(url);
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
  });
  return url;
}
