import { decodeEnvelope, type Envelope, partitionKeyOf } from '@ates/contracts';
import type { Delivery, EventBus, Subscription } from '../bus/index.ts';
import { type Pool, prepared, type Tx, withTransaction } from '../db/index.ts';
import type { Logger } from '../log/index.ts';
import { eventsConsumed } from '../metrics/index.ts';
import { partitionOf } from '../partitions/index.ts';
import { backoffDelay, sleep } from '../runtime/index.ts';
import { contextOf, noTracing, type Span, SpanKind, SpanStatusCode, type Tracing } from '../telemetry/index.ts';
import { type DeadLetter, positionsSetAside, putAside, setAsideDone } from './deadLetters.ts';
import type { BatchEventHandler, HandlerRegistration } from './eventHandler.ts';
import { isInfrastructureFailure } from './isInfrastructureFailure.ts';
import { watchLag } from './watchLag.ts';

export interface EventConsumerOptions {
  bus: EventBus;
  pool: Pool;
  group: string;
  handlers: readonly HandlerRegistration[];
  logger?: Logger;
  maxBatch?: number;
  /** Bytes of bodies a batch holds at most: bounds work per batch when events vary in size. */
  maxBatchBytes?: number;
  /** Several members of the group may work at once, each on its share of the aggregates (see SubscribeOptions). */
  partitioned?: boolean;
  /**
   * Transactions a batch is applied in, side by side: each takes the events of its share
   * of partition keys, as members of a partitioned group share them, so the events of one
   * key stay in order in one transaction. While one waits on PostgreSQL this process
   * prepares the other, instead of the two taking turns. Only batches whose bodies add
   * up to `minimumBytes` are split: a backlog gains, while a trickle of a few events would
   * only pay for more commits. Bytes, not events, say how much work a batch is: one
   * event may carry one posting or a hundred. A lane commits on its own; when another
   * fails, the batch comes again and the inbox (or an idempotent handler) makes what
   * committed change nothing. Handlers must lock what they share in one order (the ledger locks
   * accounts sorted by id), or lanes could wait on each other in a circle. Default: one.
   */
  lanes?: { count: number; minimumBytes: number };
  /** Tries of one event whose handler keeps failing before it is put aside. */
  maxAttempts?: number;
  redrivePollMs?: number;
  /** With tracing on, every event handled is a span in the trace that produced it. */
  tracing?: Tracing;
}

type Decoded =
  | { delivery: Delivery; envelope: Envelope; handle: BatchEventHandler; idempotent: boolean }
  | { delivery: Delivery; reason: string };

/** A group that keeps failing on the same events for a reason that is not theirs (see isInfrastructureFailure). */
export interface StuckConsumer {
  group: string;
  /** The first event of the batch that keeps failing: what `ates set-aside` takes. */
  position: number;
  eventId: string;
  error: string;
  attempts: number;
  since: Date;
}

const stuckGroups = new Map<string, StuckConsumer>();

/** Groups of this process that are stuck right now, for `/api/ops/status`. */
export function stuckConsumers(groups: readonly string[]): StuckConsumer[] {
  return groups.flatMap((group) => (stuckGroups.has(group) ? [stuckGroups.get(group)!] : []));
}

type Applicable = Extract<Decoded, { envelope: Envelope }>;

/**
 * An idempotent consumer group. Each batch from the bus is applied in one transaction
 * (or one per lane, see `lanes`) that also records every event id in the inbox, so a
 * redelivery changes nothing; a handler idempotent by itself (see `onBatch`) checks its
 * own keys instead, and its events get no inbox row.
 * Events that fail their schema, or whose handler keeps failing, are put aside as
 * dead letters with the reason, and the events behind them go on.
 */
export class EventConsumer {
  private subscription: Subscription | undefined;
  private redriveTimer: NodeJS.Timeout | undefined;
  private redriving: Promise<unknown> = Promise.resolve();
  private readonly handlers: Map<string, HandlerRegistration>;
  private readonly names: string[];

  private constructor(private readonly options: EventConsumerOptions) {
    this.handlers = new Map(options.handlers.map((h) => [`${h.name}.v${h.version}`, h]));
    this.names = [...new Set(options.handlers.map((h) => h.name))];
  }

  static async start(options: EventConsumerOptions): Promise<EventConsumer> {
    const consumer = new EventConsumer(options);
    consumer.subscription = await options.bus.subscribe(
      {
        group: options.group,
        names: consumer.names,
        maxBatch: options.maxBatch ?? 500,
        ...(options.maxBatchBytes === undefined ? {} : { maxBatchBytes: options.maxBatchBytes }),
        partitioned: options.partitioned ?? false,
      },
      (batch) => consumer.handleBatch(batch),
    );
    const redrivePollMs = options.redrivePollMs ?? 2_000;
    consumer.redriveTimer = setInterval(() => {
      consumer.redriving = consumer.redriving.then(() => consumer.redriveRequested()).catch(() => undefined);
    }, redrivePollMs);
    watchLag(options.group, () => options.bus.lag(options.group));
    return consumer;
  }

  async stop(): Promise<void> {
    clearInterval(this.redriveTimer);
    await this.subscription?.stop();
    await this.redriving;
  }

  private decode(delivery: Delivery): Decoded {
    if (delivery.refused) return { delivery, reason: delivery.refused };
    const result = decodeEnvelope(delivery.body);
    if (!result.ok) return { delivery, reason: result.reason };
    const { envelope } = result;
    const handler = this.handlers.get(`${envelope.event_name}.v${envelope.event_version}`);
    if (!handler)
      return {
        delivery,
        reason: `${this.options.group} has no handler for ${envelope.event_name} v${envelope.event_version}`,
      };
    return { delivery, envelope, handle: handler.handle, idempotent: handler.idempotent ?? false };
  }

  private deadLetter(delivery: Delivery, reason: string, attempts = delivery.attempt): DeadLetter {
    return {
      consumerGroup: this.options.group,
      eventId: delivery.id,
      eventName: delivery.name,
      busPosition: delivery.position,
      body: delivery.body,
      reason,
      attempts,
    };
  }

  private async handleBatch(batch: readonly Delivery[]): Promise<void> {
    // Only a batch seen before can be stuck, so the happy path asks nothing more.
    const setAsideByOperator = batch.some((delivery) => delivery.attempt > 1)
      ? await positionsSetAside(
          this.options.pool,
          this.options.group,
          batch.map((delivery) => delivery.position),
        )
      : new Set<number>();
    const decoded = batch.map((delivery): Decoded => {
      if (!setAsideByOperator.has(delivery.position)) return this.decode(delivery);
      const stuck = stuckGroups.get(this.options.group);
      return {
        delivery,
        reason: `set aside by an operator${stuck?.position === delivery.position ? ` after: ${stuck.error}` : ''}`,
      };
    });
    const rejected = decoded.flatMap((item) => ('reason' in item ? [this.deadLetter(item.delivery, item.reason)] : []));
    const applicable = decoded.filter((item): item is Applicable => 'envelope' in item);
    const lanes = this.lanesOf(applicable);
    const outcomes = await Promise.allSettled(
      lanes.map(async (lane, index) => {
        const spans = this.consumeSpans(lane);
        try {
          const applied = await withTransaction(this.options.pool, async (tx) => {
            if (index === 0) {
              await putAside(tx, rejected);
              await setAsideDone(tx, this.options.group, [...setAsideByOperator]);
            }
            return this.apply(tx, lane);
          });
          this.count(applied);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message });
          throw error;
        } finally {
          for (const span of spans) span.end();
        }
      }),
    );
    // Failures are handled once every lane has finished: nothing of the batch is still in flight.
    const failed = outcomes.flatMap((outcome, index) =>
      outcome.status === 'rejected' ? [{ error: outcome.reason as unknown, events: lanes[index]! }] : [],
    );
    if (failed.length === 0) {
      stuckGroups.delete(this.options.group);
      return;
    }
    const infrastructure = failed.find(({ error }) => isInfrastructureFailure(error));
    if (infrastructure) {
      this.noteStuck(batch, infrastructure.error);
      throw infrastructure.error;
    }
    // Something in a failed lane is poison: find it by applying that lane's events one at a time.
    await putAside(this.options.pool, rejected);
    for (const { events } of failed) for (const item of events) await this.applyAlone(item);
  }

  /**
   * The batch's events by lane, each lane in batch order (see `lanes`); lanes left empty
   * are dropped. There is always a first one, even empty: it records what the batch puts
   * aside.
   */
  private lanesOf(items: readonly Applicable[]): Applicable[][] {
    const { count, minimumBytes } = this.options.lanes ?? { count: 1, minimumBytes: 0 };
    if (count === 1) return [[...items]];
    let bytes = 0;
    for (const item of items) bytes += item.delivery.body.length;
    if (bytes < minimumBytes) return [[...items]];
    const lanes: Applicable[][] = Array.from({ length: count }, () => []);
    for (const item of items) lanes[partitionOf(partitionKeyOf(item.envelope), count)]!.push(item);
    const filled = lanes.filter((lane) => lane.length > 0);
    return filled.length > 0 ? filled : [[]];
  }

  /**
   * Applies the events not applied before, in order; consecutive events of one batch
   * handler go to it together. The inbox tells which were applied before, except for
   * idempotent handlers, which get every event and tell themselves. Returns the names of
   * those applied.
   */
  private async apply(tx: Tx, items: readonly Applicable[]): Promise<string[]> {
    if (items.length === 0) return [];
    const recorded = items.filter((item) => !item.idempotent).map((item) => item.envelope.event_id);
    const { rows } =
      recorded.length === 0
        ? { rows: [] }
        : await tx.query<{ event_id: string }>(
            prepared(
              'inbox-record',
              `INSERT INTO ates_inbox (consumer_group, event_id) SELECT $1, unnest($2::text[])
               ON CONFLICT DO NOTHING RETURNING event_id`,
              [this.options.group, recorded],
            ),
          );
    const fresh = new Set(rows.map((row) => row.event_id));
    const toApply = items.filter((item) => item.idempotent || fresh.delete(item.envelope.event_id));
    for (let start = 0; start < toApply.length; ) {
      let end = start + 1;
      while (end < toApply.length && toApply[end]!.handle === toApply[start]!.handle) end += 1;
      await toApply[start]!.handle(
        toApply.slice(start, end).map((item) => item.envelope),
        tx,
      );
      start = end;
    }
    return toApply.map((item) => item.envelope.event_name);
  }

  private async applyAlone(item: Applicable): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      try {
        this.count(await withTransaction(this.options.pool, (tx) => this.apply(tx, [item])));
        return;
      } catch (error) {
        if (isInfrastructureFailure(error)) throw error;
        lastError = error;
        if (attempt < maxAttempts) await sleep(backoffDelay(attempt, 50, 1_000));
      }
    }
    const reason = `handler failed ${maxAttempts} times: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
    this.options.logger?.error({ event_id: item.envelope.event_id, reason }, 'event put aside as a dead letter');
    await putAside(this.options.pool, [this.deadLetter(item.delivery, reason, maxAttempts)]);
  }

  private consumeSpans(items: readonly Applicable[]): Span[] {
    const { enabled, tracer } = this.options.tracing ?? noTracing;
    if (!enabled) return [];
    return items.map(({ envelope }) =>
      tracer.startSpan(
        `consume ${envelope.event_name}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.consumer.group.name': this.options.group,
            'messaging.message.id': envelope.event_id,
            'messaging.batch.message_count': items.length,
          },
        },
        contextOf(envelope.trace_id),
      ),
    );
  }

  private noteStuck(batch: readonly Delivery[], error: unknown): void {
    const first = batch[0];
    if (!first) return;
    const known = stuckGroups.get(this.options.group);
    const message = error instanceof Error ? error.message : String(error);
    const same = known?.position === first.position;
    stuckGroups.set(this.options.group, {
      group: this.options.group,
      position: first.position,
      eventId: first.id,
      error: message,
      attempts: same ? known.attempts + 1 : 1,
      since: same ? known.since : new Date(),
    });
    this.options.logger?.warn(
      { group: this.options.group, position: first.position, err: error },
      'consumer cannot apply a batch; it will retry (ates set-aside puts an event aside)',
    );
  }

  private count(appliedNames: readonly string[]): void {
    for (const name of appliedNames) eventsConsumed.inc({ group: this.options.group, event: name });
  }

  /**
   * Tries again the dead letters someone asked to re-drive (see `requestRedrive`),
   * with the handlers running now. Returns how many were applied.
   */
  async redriveRequested(): Promise<number> {
    const { pool, group } = this.options;
    const { rows } = await pool.query<{
      id: number;
      event_id: string | null;
      event_name: string | null;
      bus_position: number | null;
      body: string;
      attempts: number;
    }>(
      `SELECT id, event_id, event_name, bus_position, body, attempts FROM ates_dead_letters
       WHERE consumer_group = $1 AND redrive_requested_at IS NOT NULL AND redriven_at IS NULL
       ORDER BY id LIMIT 100`,
      [group],
    );
    let applied = 0;
    for (const row of rows) {
      const delivery: Delivery = {
        id: row.event_id ?? '',
        name: row.event_name ?? '',
        key: '',
        body: row.body,
        position: row.bus_position ?? 0,
        attempt: row.attempts + 1,
      };
      const item = this.decode(delivery);
      try {
        if ('reason' in item) throw new Error(item.reason);
        await withTransaction(pool, async (tx) => {
          this.count(await this.apply(tx, [item]));
          await tx.query('UPDATE ates_dead_letters SET redriven_at = now() WHERE id = $1', [row.id]);
        });
        applied += 1;
      } catch (error) {
        if (isInfrastructureFailure(error)) throw error;
        await pool.query(
          'UPDATE ates_dead_letters SET reason = $2, attempts = attempts + 1, failed_at = now(), redrive_requested_at = NULL WHERE id = $1',
          [row.id, error instanceof Error ? error.message : String(error)],
        );
      }
    }
    return applied;
  }
}
