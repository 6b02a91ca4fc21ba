import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPool, ensureDatabase, migrateDatabase, withTransaction, type Pool } from '../../db/index.ts';
import { WakeableDelay } from '../../runtime/index.ts';
import { refuseOversizedEvents } from '../eventSizeLimit.ts';
import type { BatchHandler, EventBus, OutgoingMessage, SubscribeOptions, Subscription } from '../port.ts';
import { PostgresLogSubscription } from './PostgresLogSubscription.ts';

export const appendLockKey = [41_000, 1] as const;
export const notifyChannel = 'ates_bus';

export interface PostgresLogBusOptions {
  /** How often an idle consumer looks for events in case a wake-up was missed. */
  safetyPollMs?: number;
}

/** The default bus: a durable append-only log in its own PostgreSQL database. */
export class PostgresLogBus implements EventBus {
  readonly kind = 'postgres' as const;
  private readonly subscriptions = new Set<PostgresLogSubscription>();
  private listener: pg.Client | undefined;
  private closed = false;

  private constructor(
    private readonly url: string,
    private readonly pool: Pool,
    private readonly options: Required<PostgresLogBusOptions>,
  ) {}

  static async connect(url: string, options: PostgresLogBusOptions = {}): Promise<PostgresLogBus> {
    await ensureDatabase(url);
    await migrateDatabase(url, join(dirname(fileURLToPath(import.meta.url)), 'migrations'), 'ates_bus_migrations');
    return new PostgresLogBus(url, createPool(url, { max: 4, applicationName: 'ates-bus' }), { safetyPollMs: 5_000, ...options });
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    refuseOversizedEvents(messages);
    await withTransaction(this.pool, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [...appendLockKey]);
      await tx.query(
        `INSERT INTO bus_events (event_id, name, aggregate_key, body)
         SELECT id, name, key, body FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS m(id, name, key, body, n)
         ORDER BY n
         ON CONFLICT (event_id) DO NOTHING`,
        [messages.map((m) => m.id), messages.map((m) => m.name), messages.map((m) => m.key), messages.map((m) => m.body)],
      );
      await tx.query(`SELECT pg_notify('${notifyChannel}', '')`);
    });
  }

  async subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    await this.listen();
    const subscription = new PostgresLogSubscription(this.url, options, handler, new WakeableDelay(), this.options.safetyPollMs, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  async seek(group: string, position: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO bus_consumer_groups (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = now()`,
      [group, position],
    );
  }

  async lag(group: string): Promise<number> {
    const result = await this.pool.query<{ lag: number }>(
      `SELECT count(*)::bigint AS lag FROM bus_events
       WHERE position > coalesce((SELECT position FROM bus_consumer_groups WHERE name = $1), 0)`,
      [group],
    );
    return result.rows[0]?.lag ?? 0;
  }

  async head(): Promise<number> {
    const result = await this.pool.query<{ head: number }>('SELECT coalesce(max(position), 0)::bigint AS head FROM bus_events');
    return result.rows[0]?.head ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  /** One LISTEN connection wakes every subscription of this process when something is appended. */
  private async listen(): Promise<void> {
    if (this.listener || this.closed) return;
    const listener = new pg.Client({ connectionString: this.url, application_name: 'ates-bus-listener' });
    this.listener = listener;
    listener.on('notification', () => this.subscriptions.forEach((subscription) => subscription.wake()));
    listener.on('error', () => {
      // Until it is back, the safety poll keeps consumers going.
      this.listener = undefined;
      listener.end().catch(() => undefined);
      setTimeout(() => this.subscriptions.size > 0 && this.listen().catch(() => undefined), 1_000).unref();
    });
    await listener.connect();
    await listener.query(`LISTEN ${notifyChannel}`);
  }
}
