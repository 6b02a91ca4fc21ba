import pg from 'pg';
import { type EventBus, maxBatchBytes } from '../bus/index.ts';
import { lockKeys, prepared } from '../db/index.ts';
import type { Logger } from '../log/index.ts';
import { eventsPublished } from '../metrics/index.ts';
import { backoffDelay, sleep, WakeableDelay } from '../runtime/index.ts';
import { contextOf, noTracing, type Span, SpanKind, type Tracing } from '../telemetry/index.ts';
import { outboxChannel } from './appendToOutbox.ts';
import { onOutboxWritten } from './outboxWritten.ts';

export interface OutboxRelayOptions {
  databaseUrl: string;
  bus: EventBus;
  logger?: Logger;
  batchSize?: number;
  safetyPollMs?: number;
  tracing?: Tracing;
}

interface OutboxRow {
  id: number;
  event_id: string;
  event_name: string;
  aggregate_id: string;
  partition_key: string | null;
  body: string;
  /** How many rows the batch's window held before the bytes bound cut it (bigint, read as a number: see db/pool). */
  read: number;
}

/**
 * Moves committed events from a service's outbox to the bus, oldest first. Only one
 * relay per database runs at a time (an advisory lock), so order is kept; a crash
 * between publishing and deleting publishes again, and the bus drops the copy by event id.
 */
export class OutboxRelay {
  private stopped = false;
  private readonly work = new WakeableDelay();
  private running: Promise<void> | undefined;
  private client: pg.Client | undefined;
  private published = 0;
  private leader = false;
  private notifying = false;
  private stopHearing: (() => void) | undefined;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): this {
    this.stopHearing = onOutboxWritten(() => this.nudge());
    this.running = this.run();
    return this;
  }

  /**
   * Committed events are waiting. The leader goes at once; a relay waiting for the lock
   * (another instance of the service leads) passes it on with one NOTIFY per burst of writes.
   */
  private nudge(): void {
    if (this.leader) {
      this.work.wake();
      return;
    }
    // The NOTIFY goes out from the lock loop: a connection runs one statement at a time.
    if (this.notifying) return;
    this.notifying = true;
    setTimeout(() => this.work.wake(), 5);
  }

  /** Events relayed since start. */
  get publishedCount(): number {
    return this.published;
  }

  async stop(): Promise<void> {
    this.stopHearing?.();
    this.stopped = true;
    this.work.wake();
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.connectAsLeader();
        await this.relayUntilStopped();
      } catch (error) {
        failures += 1;
        this.options.logger?.warn({ err: error }, 'outbox relay failed; retrying');
        await sleep(backoffDelay(failures));
      } finally {
        this.leader = false;
        await this.client?.end().catch(() => undefined);
        this.client = undefined;
      }
    }
  }

  private async connectAsLeader(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'ates-outbox-relay' });
    client.on('error', () => undefined);
    client.on('notification', () => this.work.wake());
    this.client = client;
    await client.connect();
    while (!this.stopped) {
      if (this.notifying) {
        this.notifying = false;
        await client.query(`NOTIFY ${outboxChannel}`);
      }
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
        ...lockKeys.outboxRelay,
      ]);
      if (rows[0]?.locked) break;
      await this.work.wait(1_000);
    }
    // Other instances of the service (and SQL that writes events) still wake the leader by NOTIFY.
    await client.query(`LISTEN ${outboxChannel}`);
    this.leader = true;
  }

  private async relayUntilStopped(): Promise<void> {
    const client = this.client!;
    const batchSize = this.options.batchSize ?? 1_000;
    while (!this.stopped) {
      // Bounded by bytes as well as rows, like every consumer's batch: a run of 52 KB
      // transaction_applied events must not put 50 MB in flight at once.
      const { rows } = await client.query<OutboxRow>(
        prepared(
          'outbox-read',
          `SELECT id, event_id, event_name, aggregate_id, partition_key, body, read
             FROM (SELECT *, sum(octet_length(body)) OVER (ORDER BY id) AS running,
                          row_number() OVER (ORDER BY id) AS place, count(*) OVER () AS read
                     FROM (SELECT * FROM ates_outbox ORDER BY id LIMIT $1) AS oldest) AS sized
            WHERE running <= $2 OR place = 1
            ORDER BY id`,
          [batchSize, maxBatchBytes],
        ),
      );
      if (rows.length > 0) {
        const spans = this.publishSpans(rows);
        await this.options.bus.publish(
          rows.map((row) => ({
            id: row.event_id,
            name: row.event_name,
            key: row.aggregate_id,
            ...(row.partition_key === null ? {} : { partitionKey: row.partition_key }),
            body: row.body,
          })),
        );
        for (const span of spans) span.end();
        // Exactly these ids: a smaller id still in flight when we read must stay for the next round.
        await client.query(
          prepared('outbox-delete', 'DELETE FROM ates_outbox WHERE id = ANY($1::bigint[])', [
            rows.map((row) => row.id),
          ]),
        );
        this.published += rows.length;
        for (const row of rows) eventsPublished.inc({ event: row.event_name });
      }
      // Caught up when fewer rows were waiting than a batch takes and the bytes left none behind.
      const caughtUp = rows.length === 0 || (rows.length < batchSize && rows[0]!.read === rows.length);
      if (caughtUp) await this.work.wait(this.options.safetyPollMs ?? 2_000);
    }
  }

  /** With tracing on, each event's trip to the bus is a span in the trace that made it. */
  private publishSpans(rows: readonly OutboxRow[]): Span[] {
    const { enabled, tracer } = this.options.tracing ?? noTracing;
    if (!enabled) return [];
    return rows.map((row) =>
      tracer.startSpan(
        `publish ${row.event_name}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: { 'messaging.message.id': row.event_id, 'ates.aggregate_id': row.aggregate_id },
        },
        contextOf((JSON.parse(row.body) as { trace_id?: string }).trace_id),
      ),
    );
  }
}
