import pg from 'pg';
import { lockKeys, prepared } from '../../db/index.ts';
import { backoffDelay, sleep, type WakeableDelay } from '../../runtime/index.ts';
import { maxBatchBytes, maxEventBytes, oversizedReason } from '../eventSizeLimit.ts';
import type { BatchHandler, Delivery, SubscribeOptions, Subscription } from '../port.ts';

const standbyPollMs = 1_000;

/** The next events of every name: the primary key walked in order. */
const nextOfAll = `
  SELECT position, octet_length(body) AS size FROM bus_events
  WHERE position > $1 AND position <= $2 AND $3::text[] IS NULL ORDER BY position LIMIT $4`;

/**
 * The next events of the wanted names: each name's run walked in (name, position) order,
 * then merged. The row comparisons can only be answered by that index, in its order, so
 * the plan stays a few hundred index entries per name whatever the statistics say: on a
 * freshly filled log without them, the plain `name = ANY(…) ORDER BY position` read and
 * sorted every waiting event (300 ms a batch with 100k waiting; 0.7 ms this way).
 */
const nextOfNames = `
  SELECT e.position, e.size FROM unnest($3::text[]) AS wanted(name)
  CROSS JOIN LATERAL (
    SELECT position, octet_length(body) AS size FROM bus_events
    WHERE (name, position) > (wanted.name, $1) AND (name, position) <= (wanted.name, $2)
    ORDER BY name, position LIMIT $4
  ) e
  ORDER BY e.position LIMIT $4`;

/**
 * The next batch (parameters: after, horizon, names, rows, event limit, byte budget; see
 * `fetch`). Bodies are read by primary key, one probe per event taken. Joined instead,
 * the planner, which expects $4 events, hashed the whole log whenever its statistics
 * said the log was small; on a log filling fast they always say so, and each read
 * scanned every event ever appended (1.2 ms a read with a few thousand, and growing).
 */
export function nextBatchStatement(filtered: boolean): string {
  return `WITH next AS (${filtered ? nextOfNames : nextOfAll}),
    measured AS (
      SELECT position, size, sum(least(size, $5)) OVER (ORDER BY position) AS running FROM next
    )
    SELECT m.position, e.event_id, e.name, e.aggregate_key, m.size, (SELECT count(*) FROM next)::int AS next_in_line,
           CASE WHEN m.size <= $5 THEN e.body ELSE '' END AS body
    FROM measured m
    -- LIMIT 1 keeps the lookup a correlated subquery the planner cannot turn into a join.
    CROSS JOIN LATERAL (
      SELECT event_id, name, aggregate_key, body FROM bus_events WHERE position = m.position LIMIT 1
    ) e
    WHERE m.running <= $6 OR m.position = (SELECT min(position) FROM next)
    ORDER BY m.position`;
}

interface Fetched {
  /** Where the read started. */
  position: number;
  rows: EventRow[];
  /** More events were waiting than the batch took. */
  full: boolean;
  /** Where the group stands once the batch is applied. */
  nextPosition: number;
}

interface EventRow {
  position: number;
  event_id: string;
  name: string;
  aggregate_key: string;
  /** Empty when the body is over the limit: it is never read. */
  body: string;
  size: number;
  /** How many events were next in line before the byte budget cut the batch. */
  next_in_line: number;
}

/**
 * One member of a consumer group. Only the member holding the group's advisory lock
 * reads; the others stand by and take over when its connection goes away. That keeps
 * delivery in log order, hence in order per aggregate.
 */
export class PostgresLogSubscription implements Subscription {
  private stopped = false;
  private readonly stopRequested: Promise<void>;
  private requestStop: () => void = () => undefined;
  private running: Promise<void> | undefined;
  private client: pg.Client | undefined;

  constructor(
    private readonly url: string,
    private readonly options: SubscribeOptions,
    private readonly handler: BatchHandler,
    private readonly delay: WakeableDelay,
    private readonly safetyPollMs: number,
    private readonly onStopped: () => void,
  ) {
    this.stopRequested = new Promise((resolve) => (this.requestStop = resolve));
  }

  start(): void {
    this.running = this.run();
  }

  /** Looks for events now, unless those appended (when known) have none of the names it reads. */
  wake(appended?: readonly string[]): void {
    const names = this.options.names;
    if (appended && names && !appended.some((name) => names.includes(name))) return;
    this.delay.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.requestStop();
    this.delay.wake();
    await this.running;
    this.onStopped();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.becomeActiveMember();
        await this.consume();
      } catch {
        // Lost the connection (and with it the group lock): start over as a standby.
        await this.delay.wait(standbyPollMs);
      } finally {
        await this.client?.end().catch(() => undefined);
        this.client = undefined;
      }
    }
  }

  private async becomeActiveMember(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: `ates-bus:${this.options.group}` });
    client.on('error', () => undefined);
    this.client = client;
    await client.connect();
    while (!this.stopped) {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
        [lockKeys.busGroupNamespace, this.options.group],
      );
      if (rows[0]?.locked) break;
      await this.delay.wait(standbyPollMs);
    }
    // The names it reads bound its lag (see PostgresLogBus.lag).
    await client.query(
      `INSERT INTO bus_consumer_groups (name, names) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET names = excluded.names`,
      [this.options.group, this.options.names ? [...this.options.names] : null],
    );
  }

  /**
   * The events after `after` (or after the group's stored position, when not given: an
   * operator may have moved it with `seek`), as far as the horizon: a batch bounded by
   * rows and by bytes.
   */
  private async fetch(client: pg.Client, after: number | undefined): Promise<Fetched> {
    const maxBatch = this.options.maxBatch ?? 500;
    const names = this.options.names ? [...this.options.names] : null;
    const { rows: head } = await client.query<{ position: number; horizon: number }>(
      prepared(
        'bus-read-head',
        `SELECT coalesce($2::bigint, (SELECT position FROM bus_consumer_groups WHERE name = $1)) AS position,
                (SELECT coalesce(max(position), 0) FROM bus_events)::bigint AS horizon`,
        [this.options.group, after ?? null],
      ),
    );
    const { position, horizon } = head[0]!;
    // Appends are serialized, so nothing at or below the horizon can still appear:
    // a filtered group may safely move past events it does not want. A batch is bounded
    // by rows and by bytes (sizes come from the row headers, without reading bodies), and
    // a body over the limit is not read at all: one huge event must not crash the reader.
    const { rows } = await client.query<EventRow>(
      prepared(names ? 'bus-read-names' : 'bus-read-all', nextBatchStatement(names !== null), [
        position,
        horizon,
        names,
        maxBatch,
        maxEventBytes,
        this.options.maxBatchBytes ?? maxBatchBytes,
      ]),
    );
    const full = rows.length > 0 && (rows.length < rows[0]!.next_in_line || rows.length === maxBatch);
    return { position, rows, full, nextPosition: full ? rows[rows.length - 1]!.position : horizon };
  }

  private async consume(): Promise<void> {
    const client = this.client!;
    // The stored position only saves re-reading: the consumer's idempotency (its inbox, or
    // a handler that checks for itself) makes a batch read twice change nothing. So it need
    // not wait for the disk, and it is never durable ahead of the handler's own
    // (synchronous) commit, which comes first.
    await client.query('SET synchronous_commit = off');
    let attempt = 1;
    // Where the next read starts; undefined: at the group's stored position.
    let from: number | undefined;
    let ahead: Promise<Fetched> | undefined;
    while (!this.stopped) {
      const { position, rows, full, nextPosition } = await (ahead ?? this.fetch(client, from));
      ahead = undefined;
      from = position;
      if (rows.length > 0) {
        const batch: Delivery[] = rows.map((row) => ({
          position: row.position,
          id: row.event_id,
          name: row.name,
          key: row.aggregate_key,
          body: row.body,
          attempt,
          ...(row.size > maxEventBytes ? { refused: oversizedReason(row.size) } : {}),
        }));
        // While a full batch is applied, the next one is read: the handler's transaction
        // and the log's read run side by side instead of taking turns.
        const next = full ? this.fetch(client, nextPosition) : undefined;
        next?.catch(() => undefined);
        try {
          await this.handler(batch);
          attempt = 1;
        } catch {
          await next?.catch(() => undefined);
          // New appends must not cut a backoff short: only stop() does.
          await Promise.race([sleep(backoffDelay(attempt)), this.stopRequested]);
          attempt += 1;
          continue;
        }
        ahead = next;
      }
      if (nextPosition > position) {
        // One statement at a time on a connection: the read ahead finishes first.
        await ahead?.catch(() => undefined);
        const moved = await client.query(
          prepared(
            'bus-move-group',
            'UPDATE bus_consumer_groups SET position = $3, updated_at = now() WHERE name = $1 AND position = $2',
            [this.options.group, position, nextPosition],
          ),
        );
        if (moved.rowCount === 0) {
          // Someone moved the group meanwhile (seek): what was read ahead is from the old place.
          await ahead?.catch(() => undefined);
          ahead = undefined;
          from = undefined;
          continue;
        }
        from = nextPosition;
      }
      if (!full) {
        await this.delay.wait(this.safetyPollMs);
        from = undefined;
      }
    }
    await ahead?.catch(() => undefined);
  }
}
