import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { backoffDelay, sleep, WakeableDelay } from '../../runtime/index.ts';
import { maxBatchBytes, maxEventBytes, oversizedReason } from '../eventSizeLimit.ts';
import type { BatchHandler, Delivery, SubscribeOptions, Subscription } from '../port.ts';

/**
 * Pulls from a durable consumer into a local queue and hands it to the handler in
 * batches, in stream order. A failed batch is retried here, in place, so later events
 * never overtake it; JetStream redelivers only what a crashed member left unacknowledged.
 */
export class NatsJetStreamSubscription implements Subscription {
  private readonly queue: JsMsg[] = [];
  private readonly arrived = new WakeableDelay();
  private messages: ConsumerMessages | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly stopRequested: Promise<void>;
  private requestStop: () => void = () => undefined;
  private readonly wanted: Set<string> | undefined;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: SubscribeOptions,
    private readonly handler: BatchHandler,
    private readonly header: { keyHeader: string; nameHeader: string },
    private readonly onStopped: () => void,
  ) {
    this.wanted = options.names ? new Set(options.names) : undefined;
    this.stopRequested = new Promise((resolve) => (this.requestStop = resolve));
  }

  async start(): Promise<void> {
    const maxBatch = this.options.maxBatch ?? 500;
    this.messages = await this.consumer.consume({
      // Bounded by count (JetStream takes one bound or the other), a batch ahead. Pulls
      // bounded by bytes stalled for good when a 208 KB transaction_applied v3 came after
      // ~149k small events: the pull's remaining byte budget could not hold it, and no new
      // pull was asked for. Batches are still cut by bytes below; what waits here is at
      // most a batch of events of at most maxEventBytes each.
      max_messages: maxBatch,
      callback: (message) => {
        this.queue.push(message);
        this.arrived.wake();
      },
    });
    this.running = this.run(maxBatch);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.requestStop();
    this.arrived.wake();
    await this.messages?.close().catch(() => undefined);
    await this.running;
    this.onStopped();
  }

  private async run(maxBatch: number): Promise<void> {
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
        (count === 0 || bytes + this.queue[count]!.data.length <= maxBatchBytes)
      ) {
        bytes += this.queue[count]!.data.length;
        count += 1;
      }
      const taken = this.queue.splice(0, count);
      const batch: Delivery[] = [];
      for (const message of taken) {
        const name = message.headers?.get(this.header.nameHeader) || message.subject.split('.').slice(1).join('.');
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
      if (await this.handleWithRetry(batch, taken)) for (const message of taken) message.ack();
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
