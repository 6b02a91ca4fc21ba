import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  StorageType,
} from '@nats-io/jetstream';
import { connect, headers, type NatsConnection, nanos } from '@nats-io/transport-node';
import { maxEventBytes, refuseOversizedEvents } from '../eventSizeLimit.ts';
import type { BatchHandler, EventBus, OutgoingMessage, SubscribeOptions, Subscription } from '../port.ts';
import { NatsJetStreamSubscription } from './NatsJetStreamSubscription.ts';

export interface NatsJetStreamBusOptions {
  /** Stream name and subject prefix; tests use their own to stay apart. */
  stream?: string;
  /** How long a delivered event may stay unacknowledged before JetStream delivers it again. */
  ackWaitMs?: number;
  /** How many events a group may have in flight, unacknowledged. */
  maxAckPending?: number;
}

const keyHeader = 'Ates-Aggregate-Key';
const nameHeader = 'Ates-Event-Name';
/** Publishes in flight at once: enough to fill the pipe, few enough to retry cheaply. */
const publishWindow = 1_024;

/** aTES names groups like `accounting.ledger`; JetStream durable names may not contain `.`, `*`, `>` or spaces. */
function durableName(group: string): string {
  return group.replace(/[.*>\s/\\]/g, '_');
}

/** The scale-out bus: NATS JetStream with durable pull consumers and explicit acks. */
export class NatsJetStreamBus implements EventBus {
  readonly kind = 'nats' as const;
  private readonly subscriptions = new Set<NatsJetStreamSubscription>();

  private constructor(
    private readonly connection: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: Required<NatsJetStreamBusOptions>,
  ) {}

  static async connect(url: string, options: NatsJetStreamBusOptions = {}): Promise<NatsJetStreamBus> {
    const resolved = { stream: 'ATES', ackWaitMs: 30_000, maxAckPending: 2_000, ...options };
    // Credentials in the URL (nats://user:password@host:port) make the connection that service's own identity.
    const parsed = new URL(url);
    const connection = await connect({
      servers: `${parsed.hostname}:${parsed.port || 4222}`,
      ...(parsed.username
        ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
        : {}),
      maxReconnectAttempts: -1,
      // A server restarting at this moment is waited for, as one that goes away later is.
      waitOnFirstConnect: true,
      name: 'ates',
    });
    const jsm = await jetstreamManager(connection);
    const config = {
      name: resolved.stream,
      subjects: [`${resolved.stream}.>`],
      storage: StorageType.File,
      // The outbox relay may publish an event again after a crash; JetStream drops
      // the copy when it comes within this window of the first.
      duplicate_window: nanos(10 * 60_000),
      // The server refuses a bigger message; the room above the body is for subject and headers.
      max_msg_size: maxEventBytes + 4_096,
    };
    // A service's own user may read the stream but not change it: it is changed only when
    // it differs, which an operator's provisioning (or the first owner connection) settles.
    const existing = await jsm.streams.info(resolved.stream).catch(() => undefined);
    if (!existing) await jsm.streams.add(config);
    else if (
      existing.config.max_msg_size !== config.max_msg_size ||
      existing.config.duplicate_window !== config.duplicate_window
    ) {
      await jsm.streams.update(resolved.stream, config);
    }
    return new NatsJetStreamBus(connection, jetstream(connection), jsm, resolved);
  }

  subjectOf(name: string): string {
    return `${this.options.stream}.${name}`;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    refuseOversizedEvents(messages);
    // One connection keeps publish order; a window of concurrent publishes keeps it fast.
    for (let start = 0; start < messages.length; start += publishWindow) {
      await Promise.all(
        messages.slice(start, start + publishWindow).map((message) => {
          const meta = headers();
          meta.set(keyHeader, message.key);
          meta.set(nameHeader, message.name);
          return this.js.publish(this.subjectOf(message.name), message.body, {
            msgID: message.id,
            headers: meta,
            timeout: 10_000,
          });
        }),
      );
    }
  }

  async subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    await this.ensureConsumer(options.group);
    const consumer = await this.js.consumers.get(this.options.stream, durableName(options.group));
    const subscription = new NatsJetStreamSubscription(consumer, options, handler, { keyHeader, nameHeader }, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    await subscription.start();
    return subscription;
  }

  async seek(group: string, position: number): Promise<void> {
    await this.jsm.consumers.delete(this.options.stream, durableName(group)).catch(() => undefined);
    await this.ensureConsumer(group, position);
  }

  async lag(group: string): Promise<number> {
    const info = await this.jsm.consumers.info(this.options.stream, durableName(group)).catch(() => undefined);
    if (!info) return this.head();
    return info.num_pending + info.num_ack_pending;
  }

  async head(): Promise<number> {
    const info = await this.jsm.streams.info(this.options.stream);
    return info.state.last_seq;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.connection.drain().catch(() => undefined);
  }

  /** Test and tool use only: removes the stream with everything in it. */
  async destroy(): Promise<void> {
    await this.jsm.streams.delete(this.options.stream).catch(() => undefined);
    await this.close();
  }

  private async ensureConsumer(group: string, afterPosition = 0): Promise<void> {
    const existing = await this.jsm.consumers.info(this.options.stream, durableName(group)).catch(() => undefined);
    if (existing) return;
    const ackWait = nanos(this.options.ackWaitMs);
    const config: Partial<ConsumerConfig> = {
      durable_name: durableName(group),
      ack_policy: AckPolicy.Explicit,
      ack_wait: ackWait,
      max_ack_pending: this.options.maxAckPending,
      // Redelivery after a lost member backs off instead of hammering a sick consumer.
      backoff: [ackWait, ackWait * 2, ackWait * 4],
      // JetStream wants a bound above the backoff steps; a message is never given up
      // on, since a dropped message would be a lost event (the last step repeats).
      max_deliver: 1_000_000,
      ...(afterPosition > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterPosition + 1 }
        : { deliver_policy: DeliverPolicy.All }),
    };
    await this.jsm.consumers.add(this.options.stream, config);
  }
}
