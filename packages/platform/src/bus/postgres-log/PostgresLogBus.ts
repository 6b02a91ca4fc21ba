import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createPool, ensureDatabase, migrateDatabase, type Pool, prepared } from '../../db/index.ts';
import { WakeableDelay } from '../../runtime/index.ts';
import { refuseOversizedEvents } from '../eventSizeLimit.ts';
import type { BatchHandler, EventBus, OutgoingMessage, SubscribeOptions, Subscription } from '../port.ts';
import { PostgresLogSubscription } from './PostgresLogSubscription.ts';

/**
 * Appends notify on this channel (in ates_bus_append) with the names appended, comma
 * separated (empty: unknown); subscriptions listen on it.
 */
export const notifyChannel = 'ates_bus';

export interface PostgresLogBusOptions {
  /** How often an idle consumer looks for events in case a wake-up was missed. */
  safetyPollMs?: number;
}

const migrations = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Creates the log's database if missing and brings its tables up to date. */
export async function migrateBusLog(url: string): Promise<void> {
  await ensureDatabase(url);
  await migrateDatabase(url, migrations, 'ates_bus_migrations');
}

/** Whether `url` signs in as one of the services' producer roles rather than as the log's owner. */
async function isProducerRole(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch {
    return false; // no database yet: the owner creates it
  }
  try {
    const { rows } = await client.query<{ producer: boolean }>(
      `SELECT CASE WHEN to_regclass('bus_producer_roles') IS NULL THEN false
                 ELSE NOT has_table_privilege('bus_events', 'INSERT') END AS producer`,
    );
    return rows[0]?.producer ?? false;
  } finally {
    await client.end();
  }
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
    // A service's own producer role may read and append, not change the log's shape: the
    // operator (or npm start, or the tests) migrated it when provisioning the roles.
    if (!(await isProducerRole(url))) await migrateBusLog(url);
    return new PostgresLogBus(url, createPool(url, { max: 4, applicationName: 'ates-bus' }), {
      safetyPollMs: 5_000,
      ...options,
    });
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    refuseOversizedEvents(messages);
    // The database checks who may publish what (see migrations/3_producers.sql).
    // One JSON document, not an array per column: see migrations/4_append_as_json.sql.
    await this.pool.query(
      prepared('bus-append', 'SELECT ates_bus_append($1::json)', [
        JSON.stringify(messages.map(({ id, name, key, body }) => ({ id, name, key, body }))),
      ]),
    );
  }

  async subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    await this.listen();
    const subscription = new PostgresLogSubscription(
      this.url,
      options,
      handler,
      new WakeableDelay(),
      this.options.safetyPollMs,
      () => this.subscriptions.delete(subscription),
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

  /**
   * Positions between the group's and the newest event it reads, as Kafka counts lag: an
   * index lookup per name read. Counting the events instead read every one waiting (31 ms
   * with 100k), on every /metrics scrape and every poll of a "caught up yet?" wait. Events
   * of other names in between are counted, and so is a gap an append rolled back left,
   * until the group passes them; a group that has caught up is exactly 0, however many
   * events of other names were appended since (it is not woken for those).
   */
  async lag(group: string): Promise<number> {
    const result = await this.pool.query<{ lag: number }>(
      `SELECT greatest(0, newest.position - coalesce(g.position, 0))::bigint AS lag
       FROM (SELECT $1::text AS name) AS asked
       LEFT JOIN bus_consumer_groups g ON g.name = asked.name
       CROSS JOIN LATERAL (
         SELECT CASE
           WHEN g.names IS NULL THEN (SELECT coalesce(max(position), 0) FROM bus_events)
           ELSE (SELECT coalesce(max(e.position), 0) FROM unnest(g.names) AS read(name)
                 CROSS JOIN LATERAL (SELECT max(position) AS position FROM bus_events WHERE name = read.name) e)
         END AS position
       ) AS newest`,
      [group],
    );
    return result.rows[0]?.lag ?? 0;
  }

  async head(): Promise<number> {
    const result = await this.pool.query<{ head: number }>(
      'SELECT coalesce(max(position), 0)::bigint AS head FROM bus_events',
    );
    return result.rows[0]?.head ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  /** One LISTEN connection wakes the subscriptions of this process that read what was appended. */
  private async listen(): Promise<void> {
    if (this.listener || this.closed) return;
    const listener = new pg.Client({ connectionString: this.url, application_name: 'ates-bus-listener' });
    this.listener = listener;
    listener.on('notification', ({ payload }) => {
      const appended = payload ? payload.split(',') : undefined;
      for (const subscription of this.subscriptions) subscription.wake(appended);
    });
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
