import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { backoffDelay, sleep, WakeableDelay } from '../../runtime/index.ts';
import { maxBatchBytes, maxEventBytes, oversizedReason } from '../eventSizeLimit.ts';
import type { BatchHandler, Delivery, SubscribeOptions, Subscription } from '../port.ts';

/** `<stream>.<partition>.<name>`, or `<stream>.<name>` as subjects were before partitions. */
function nameInSubject(subject: string): string {
  const tokens = subject.split('.');
  return tokens.slice(/^\d+$/.test(tokens[1] ?? '') ? 2 : 1).join('.');
}

interface Pulled {
  readonly message: JsMsg;
  /** Which durable consumer it came from: the group's only one, or one of its partitions. */
  readonly source: string;
}

/**
 * Pulls from one or more durable consumers into a local queue and hands it to the
 * handler in batches, in stream order per consumer. A failed batch is retried here, in
 * place, so later events never overtake it; JetStream redelivers only what a crashed
 * member left unacknowledged. A partitioned group's member attaches the partitions it
 * holds and detaches those it gives up; either way one batch is in hand at a time.
 */
export class NatsJetStreamSubscription implements Subscription {
  private queue: Pulled[] = [];
  private readonly arrived = new WakeableDelay();
  private readonly sources = new Map<string, ConsumerMessages>();
  private readonly detached = new Set<string>();
  private running: Promise<void> | undefined;
  private inHand: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly stopRequested: Promise<void>;
  private requestStop: () => void = () => undefined;
  private readonly wanted: Set<string> | undefined;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly handler: BatchHandler,
    private readonly header: { keyHeader: string; nameHeader: string },
    private readonly hooks: {
      beforeStop?: () => Promise<void>;
      /** Resolves once the server has every acknowledgement sent so far. */
      flushAcks: () => Promise<void>;
      onStopped: () => void;
    },
  ) {
    this.wanted = options.names ? new Set(options.names) : undefined;
    this.stopRequested = new Promise((resolve) => (this.requestStop = resolve));
  }

  start(): void {
    this.running = this.run(this.options.maxBatch ?? 500, this.options.maxBatchBytes ?? maxBatchBytes);
  }

  /**
   * Starts pulling from a durable consumer, `prefetch` events a pull. The client pulls
   * again as messages arrive, not as they are handled: what waits here is bounded by the
   * consumer's max_ack_pending (see NatsJetStreamBus.ensureConsumer).
   */
  async attach(source: string, consumer: Consumer, prefetch: number): Promise<void> {
    this.detached.delete(source);
    const messages = await consumer.consume({
      // Bounded by count (JetStream takes one bound or the other). Pulls bounded by bytes
      // stalled for good when a 208 KB transaction_applied v3 came after ~149k small
      // events: the pull's remaining byte budget could not hold it, and no new pull was
      // asked for. Batches are still cut by bytes below.
      max_messages: prefetch,
      callback: (message) => {
        // A pull answered after the source was detached belongs to its next holder.
        if (this.detached.has(source)) return;
        this.queue.push({ message, source });
        this.arrived.wake();
      },
    });
    this.sources.set(source, messages);
  }

  /**
   * Stops pulling from a source and resolves once nothing of it is in hand. What was
   * pulled but not handled stays unacknowledged, for the source's next holder.
   */
  async detach(source: string): Promise<void> {
    const messages = this.sources.get(source);
    if (!messages) return;
    this.detached.add(source);
    this.sources.delete(source);
    await messages.close().catch(() => undefined);
    this.queue = this.queue.filter((pulled) => pulled.source !== source);
    await this.inHand;
    // The next holder starts after what is acknowledged: let it see everything handled here.
    await this.hooks.flushAcks().catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.hooks.beforeStop?.();
    this.stopped = true;
    this.requestStop();
    this.arrived.wake();
    await Promise.all([...this.sources.keys()].map((source) => this.detach(source)));
    await this.running;
    this.hooks.onStopped();
  }

  private async run(maxBatch: number, maxBytes: number): Promise<void> {
    while (!this.stopped) {
      if (this.queue.length === 0) {
        await this.arrived.wait(1_000);
        continue;
      }
      // A batch is bounded by count and by bytes, like the PostgreSQL log's.
      let count = 0;
      let bytes = 0;
      while (
        count < Math.min(maxBatch, this.queue.length) &&
        (count === 0 || bytes + this.queue[count]!.message.data.length <= maxBytes)
      ) {
        bytes += this.queue[count]!.message.data.length;
        count += 1;
      }
      const taken = this.queue.splice(0, count).map((pulled) => pulled.message);
      const batch: Delivery[] = [];
      for (const message of taken) {
        const name = message.headers?.get(this.header.nameHeader) || nameInSubject(message.subject);
        if (this.wanted && !this.wanted.has(name)) continue;
        const oversized = message.data.length > maxEventBytes;
        batch.push({
          position: message.seq,
          id: message.headers?.get('Nats-Msg-Id') ?? String(message.seq),
          name,
          key: message.headers?.get(this.header.keyHeader) ?? '',
          body: oversized ? '' : message.string(),
          attempt: message.info.deliveryCount,
          ...(oversized ? { refused: oversizedReason(message.data.length) } : {}),
        });
      }
      const handled = this.handleWithRetry(batch, taken);
      this.inHand = handled;
      if (await handled) for (const message of taken) message.ack();
    }
  }

  private async handleWithRetry(batch: Delivery[], taken: JsMsg[]): Promise<boolean> {
    if (batch.length === 0) return true;
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        await this.handler(
          attempt === 1 ? batch : batch.map((delivery) => ({ ...delivery, attempt: delivery.attempt + attempt - 1 })),
        );
        return true;
      } catch {
        // Keep JetStream from handing these to another member while we retry them in order.
        for (const message of taken) message.working();
        await Promise.race([sleep(backoffDelay(attempt)), this.stopRequested]);
      }
    }
    return false;
  }
}
