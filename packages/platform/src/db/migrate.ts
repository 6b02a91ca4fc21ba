import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';

const platformMigrations = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

async function runMigrations(url: string, dir: string, table: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await runner({
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: table,
      count: Infinity,
      log: () => undefined,
      // Several instances of one service may start together: the second waits for the first.
      advisoryLockMode: 'wait',
    });
  } finally {
    await client.end();
  }
}

/**
 * Brings a service database up to date: first the platform's own tables (outbox,
 * inbox, dead letters), then the service's versioned SQL migrations.
 */
export async function migrateServiceDatabase(url: string, serviceMigrationsDir?: string): Promise<void> {
  await runMigrations(url, platformMigrations, 'ates_platform_migrations');
  if (serviceMigrationsDir) await runMigrations(url, serviceMigrationsDir, 'ates_migrations');
}

export async function migrateDatabase(url: string, migrationsDir: string, table: string): Promise<void> {
  await runMigrations(url, migrationsDir, table);
}
