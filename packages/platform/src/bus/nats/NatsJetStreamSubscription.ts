import { setImmediate } from 'node:timers/promises';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { backoffDelay, sleep, WakeableDelay } from '../../runtime/index.ts';
import { maxBatchBytes, maxEventBytes, oversizedReason } from '../eventSizeLimit.ts';
import type { BatchHandler, Delivery, SubscribeOptions, Subscription } from '../port.ts';

/** `<stream>.<partition>.<name>`, or `<stream>.<name>` as subjects were before partitions. */
function nameInSubject(subject: string): string {
  const tokens = subject.split('.');
  return tokens.slice(/^\d+$/.test(tokens[1] ?? '') ? 2 : 1).join('.');
}

interface Pulling {
  closed: boolean;
  /** The pull in progress, if any. */
  messages?: ConsumerMessages;
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
  private queuedBytes = 0;
  /** A running mean of event sizes, to size pulls by bytes. */
  private averageBytes = 1_024;
  private readonly aheadCount: number;
  private readonly aheadBytes: number;
  private readonly waitingForRoom: (() => void)[] = [];
  private readonly arrived = new WakeableDelay();
  private readonly sources = new Map<string, Pulling>();
  private running: Promise<void> | undefined;
  private inHand: Promise<unknown> = Promise.resolve();
  /** The batch being handled, not yet acknowledged. */
  private handling: JsMsg[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly stopRequested: Promise<void>;
  private requestStop: () => void = () => undefined;
  private readonly wanted: Set<string> | undefined;

  constructor(
    options: SubscribeOptions,
    private readonly handler: BatchHandler,
    private readonly settings: { keyHeader: string; nameHeader: string; ackWaitMs: number },
    private readonly hooks: {
      beforeStop?: () => Promise<void>;
      /** Resolves once the server has every acknowledgement sent so far. */
      flushAcks: () => Promise<void>;
      onStopped: () => void;
    },
  ) {
    this.wanted = options.names ? new Set(options.names) : undefined;
    this.aheadCount = 2 * (options.maxBatch ?? 500);
    this.aheadBytes = 2 * (options.maxBatchBytes ?? maxBatchBytes);
    this.stopRequested = new Promise((resolve) => (this.requestStop = resolve));
  }

  start(): void {
    // What this member holds, waiting here or in hand, is its own: were the ack wait to
    // run out on a busy machine, JetStream would hand it out again and the handler would
    // see it twice. Every half ack wait, it is marked as being worked on; a member that
    // dies stops marking, and its events are handed out after one ack wait, as before.
    this.heartbeat = setInterval(() => {
      for (const { message } of this.queue) message.working();
      for (const message of this.handling) message.working();
    }, this.settings.ackWaitMs / 2);
    this.heartbeat.unref();
    this.running = this.run(this.aheadCount / 2, this.aheadBytes / 2);
  }

  /**
   * Starts pulling from a durable consumer, at most `prefetch` events a pull. A pull is
   * asked for only while what waits here unhandled is under two batches (by count and by
   * bytes), so a member that lags holds a bounded part of the backlog, however many
   * events the consumer lets it have unacknowledged. The client's own `consume` pulls
   * again as events arrive, not as they are handled: it held a 1M shuffle's backlog.
   */
  async attach(source: string, consumer: Consumer, prefetch: number): Promise<void> {
    const pulling: Pulling = { closed: false };
    this.sources.set(source, pulling);
    void this.pull(source, consumer, prefetch, pulling);
  }

  /**
   * Stops pulling from a source and resolves once nothing of it is in hand. What was
   * pulled but not handled stays unacknowledged, for the source's next holder.
   */
  async detach(source: string): Promise<void> {
    const pulling = this.sources.get(source);
    if (!pulling) return;
    pulling.closed = true;
    this.sources.delete(source);
    this.roomMade();
    await pulling.messages?.close().catch(() => undefined);
    this.take((pulled) => pulled.source === source);
    await this.inHand;
    // The next holder starts after what is acknowledged: let it see everything handled here.
    await this.hooks.flushAcks().catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.hooks.beforeStop?.();
    this.stopped = true;
    this.requestStop();
    this.arrived.wake();
    this.roomMade();
    await Promise.all([...this.sources.keys()].map((source) => this.detach(source)));
    await this.running;
    clearInterval(this.heartbeat);
    this.hooks.onStopped();
  }

  private async run(maxBatch: number, maxBytes: number): Promise<void> {
    while (!this.stopped) {
      if (this.queue.length === 0) {
        await this.arrived.wait(1_000);
        // A pull hands its events over one promise at a time: let those already received
        // all arrive before cutting a batch, or an idle member takes a backlog one by one.
        await setImmediate();
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
      const taken = this.take((_, index) => index < count).map(({ message }) => message);
      const batch: Delivery[] = [];
      for (const message of taken) {
        const name = message.headers?.get(this.settings.nameHeader) || nameInSubject(message.subject);
        if (this.wanted && !this.wanted.has(name)) continue;
        const oversized = message.data.length > maxEventBytes;
        batch.push({
          position: message.seq,
          id: message.headers?.get('Nats-Msg-Id') ?? String(message.seq),
          name,
          key: message.headers?.get(this.settings.keyHeader) ?? '',
          body: oversized ? '' : message.string(),
          attempt: message.info.deliveryCount,
          ...(oversized ? { refused: oversizedReason(message.data.length) } : {}),
        });
      }
      this.handling = taken;
      const handled = this.handleWithRetry(batch, taken);
      this.inHand = handled;
      if (await handled) for (const message of taken) message.ack();
      this.handling = [];
    }
  }

  /** Pulls from one source, as long as it is attached, whenever there is room ahead. */
  private async pull(source: string, consumer: Consumer, prefetch: number, pulling: Pulling): Promise<void> {
    for (let failures = 0; !pulling.closed && !this.stopped; ) {
      await this.room(() => pulling.closed || this.stopped);
      if (pulling.closed || this.stopped) return;
      // Sized by the bytes events have had so far: a fetch of fat events asks for fewer.
      // Counted, not bounded by bytes: a pull's byte budget that cannot hold the next
      // event stalls it (a 208 KB event after ~149k small ones stopped every group).
      const fits = Math.floor(this.aheadBytes / Math.max(1, this.sources.size) / this.averageBytes);
      try {
        pulling.messages = await consumer.fetch({ max_messages: Math.max(1, Math.min(prefetch, fits)) });
        for await (const message of pulling.messages) {
          // A pull answered after the source was detached belongs to its next holder.
          if (pulling.closed) break;
          this.queue.push({ message, source });
          this.queuedBytes += message.data.length;
          this.averageBytes += (message.data.length - this.averageBytes) / 64;
          this.arrived.wake();
        }
        failures = 0;
      } catch {
        // A lost connection or missed heartbeats end a pull; the next one resumes where JetStream is.
        failures += 1;
        await Promise.race([sleep(backoffDelay(failures)), this.stopRequested]);
      }
    }
  }

  /** Resolves once what waits here is under two batches, or `done()` says to stop waiting. */
  private async room(done: () => boolean): Promise<void> {
    while (!done() && (this.queue.length >= this.aheadCount || this.queuedBytes >= this.aheadBytes)) {
      await new Promise<void>((resolve) => this.waitingForRoom.push(resolve));
    }
  }

  private roomMade(): void {
    for (const resolve of this.waitingForRoom.splice(0)) resolve();
  }

  /** Removes from the queue what `which` picks, in order, and returns it. */
  private take(which: (pulled: Pulled, index: number) => boolean): Pulled[] {
    const taken: Pulled[] = [];
    const kept: Pulled[] = [];
    this.queue.forEach((pulled, index) => {
      if (which(pulled, index)) taken.push(pulled);
      else kept.push(pulled);
    });
    this.queue = kept;
    for (const pulled of taken) this.queuedBytes -= pulled.message.data.length;
    if (taken.length > 0) this.roomMade();
    return taken;
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
