import type { Envelope } from '../../packages/contracts/src/index.ts';
import { accountDirectoryMigrations } from '../../packages/platform/src/accounts/index.ts';
import {
  createPool,
  migrateDatabase,
  migrateServiceDatabase,
  type Pool,
} from '../../packages/platform/src/db/index.ts';
import { EventConsumer, type HandlerRegistration } from '../../packages/platform/src/inbox/index.ts';
import { ScriptedBus } from '../simulation/scriptedBus.ts';
import { busMessageOf } from './busMessageOf.ts';
import { freshDatabase } from './databases.ts';

/**
 * An emmett-style specification for a service's event handlers: given these events,
 * when the real consumer (inbox, handlers, dead letters) handles them, then these rows and
 * these outgoing events. Each spec gets the service's own migrated database.
 */
export async function handlerSpec(options: {
  service: string;
  migrationsDir: string;
  handlers: HandlerRegistration[];
}) {
  const url = await freshDatabase(`${options.service}_spec`);
  await migrateDatabase(url, accountDirectoryMigrations.dir, accountDirectoryMigrations.table);
  await migrateServiceDatabase(url, options.migrationsDir);
  const pool: Pool = createPool(url, { max: 2 });
  const bus = new ScriptedBus();
  const consumer = await EventConsumer.start({
    bus,
    pool,
    group: `${options.service}.spec`,
    handlers: options.handlers,
    redrivePollMs: 3_600_000,
  });
  let position = 0;
  return {
    pool,
    /** Hands the events to the consumer, in this order, as one batch each unless `together`. */
    async given(events: readonly Envelope[], { together = false } = {}): Promise<void> {
      const deliveries = events.map((event) => ({
        ...busMessageOf(event),
        position: ++position,
        attempt: 1,
      }));
      if (together) await bus.deliver(`${options.service}.spec`, deliveries);
      else for (const delivery of deliveries) await bus.deliver(`${options.service}.spec`, [delivery]);
    },
    async rows<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
      return (await pool.query<T>(sql, params)).rows;
    },
    /** The events the handlers wrote to the outbox, oldest first. */
    async outgoing(): Promise<Envelope[]> {
      const { rows } = await pool.query<{ body: string }>('SELECT body FROM ates_outbox ORDER BY id');
      return rows.map((row) => JSON.parse(row.body) as Envelope);
    },
    async close(): Promise<void> {
      await consumer.stop();
      await pool.end();
    },
  };
}
