import { accountDirectoryMigrations } from '@ates/platform/accounts';
import {
  createPool,
  ensureDatabase,
  migrateDatabase,
  migrateServiceDatabase,
  type Pool,
  withDatabase,
} from '@ates/platform/db';

/** A fresh, migrated database for one service's tables, on the bench server. */
export async function serviceDatabase(
  serverUrl: string,
  name: string,
  service: string,
  withDirectory = true,
): Promise<{ url: string; pool: Pool }> {
  const url = withDatabase(serverUrl, name);
  await ensureDatabase(url);
  if (withDirectory) await migrateDatabase(url, accountDirectoryMigrations.dir, accountDirectoryMigrations.table);
  await migrateServiceDatabase(url, new URL(`../../services/${service}/migrations`, import.meta.url).pathname);
  return { url, pool: createPool(url, { max: 4 }) };
}

/** The fastest way to write N rows once: one server-side INSERT … SELECT into a bare table. */
export async function rawInsertSeconds(pool: Pool, rows: number): Promise<number> {
  await pool.query(
    'DROP TABLE IF EXISTS raw_rows; CREATE TABLE raw_rows (id uuid, account text, amount bigint, day date, note text)',
  );
  const started = process.hrtime.bigint();
  await pool.query(
    "INSERT INTO raw_rows SELECT gen_random_uuid(), 'account ' || (n % 1000), 1500, current_date, 'fee' FROM generate_series(1, $1) n",
    [rows],
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pool.query('DROP TABLE raw_rows');
  return seconds;
}
