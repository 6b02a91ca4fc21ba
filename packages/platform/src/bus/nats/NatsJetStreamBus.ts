import { registry } from '@ates/contracts';
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  StorageType,
} from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import { partitionCount, partitionOf } from '../../partitions/index.ts';
import { maxEventBytes, refuseOversizedEvents } from '../eventSizeLimit.ts';
import type { BatchHandler, EventBus, OutgoingMessage, SubscribeOptions, Subscription } from '../port.ts';
import { JetStreamPublisher } from './JetStreamPublisher.ts';
import { NatsJetStreamSubscription } from './NatsJetStreamSubscription.ts';
import { leaseKey, PartitionLeases } from './PartitionLeases.ts';

export interface NatsJetStreamBusOptions {
  /** Stream name and subject prefix; tests use their own to stay apart. */
  stream?: string;
  /** How long a delivered event may stay unacknowledged before JetStream delivers it again. */
  ackWaitMs?: number;
  /** How many events a group's consumer (a partitioned group: each partition's) may have in flight, unacknowledged. */
  maxAckPending?: number;
  /**
   * How long a partitioned group's member keeps a partition without renewing its lease:
   * how soon the others take over from a member that died. Set when the stream's lease
   * bucket is created; members renew at a third of the bucket's.
   */
  leaseMs?: number;
}

const keyHeader = 'Ates-Aggregate-Key';
const nameHeader = 'Ates-Event-Name';
/** Publishes in flight at once: enough to fill the pipe, few enough to retry cheaply. */
const publishWindow = 1_024;

/** aTES names groups like `accounting.ledger`; JetStream durable names may not contain `.`, `*`, `>` or spaces. */
function durableName(group: string): string {
  return group.replace(/[.*>\s/\\]/g, '_');
}

/** A partitioned group has a durable consumer per partition, each reading that partition's subjects only. */
function partitionDurable(group: string, partition: number): string {
  return `${durableName(group)}__p${partition}`;
}

const partitions = Array.from({ length: partitionCount }, (_, partition) => partition);

/** Which of a group's consumers: one partition's, one family's, or (neither) the whole stream's. */
interface ConsumerScope {
  partition?: number;
  family?: string;
}

/**
 * An event's family is the first part of its name, its aggregate's kind (`task` in
 * `task.assigned`): every event of one aggregate is in one family.
 */
function familyOf(name: string): string {
  return name.split('.')[0]!;
}

/** A group that names its events has a durable consumer per family, each reading that family's subjects only. */
function familyDurable(group: string, family: string): string {
  return `${durableName(group)}__for_${family}`;
}

/** The families of the registry's events: where `lag` and `seek` look for a group's family consumers. */
const registryFamilies = new Set(registry.map((definition) => familyOf(definition.name)));

/** Events a consumer still has to hand out or see acknowledged: its part of the group's lag. */
function unfinished(info: ConsumerInfo): number {
  return info.num_pending + info.num_ack_pending;
}

/** Everything a consumer has handled, up to and including this position, was acknowledged. */
function handledUpTo(info: ConsumerInfo): number {
  // A consumer made to start at a position has acknowledged nothing yet: its floor is 0,
  // while it has delivered (and so passed over) everything before its start.
  return info.num_ack_pending === 0 ? info.delivered.stream_seq : info.ack_floor.stream_seq;
}

/** The scale-out bus: NATS JetStream with durable pull consumers and explicit acks. */
export class NatsJetStreamBus implements EventBus {
  readonly kind = 'nats' as const;
  private readonly subscriptions = new Set<NatsJetStreamSubscription>();
  /** Families this bus has subscribed to beyond the registry's (tests use events of their own). */
  private readonly families = new Set(registryFamilies);
  private readonly publisher: JetStreamPublisher;

  private constructor(
    private readonly connection: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: Required<NatsJetStreamBusOptions>,
    private readonly leases: { bucket: KV; leaseMs: number },
  ) {
    this.publisher = new JetStreamPublisher(connection, { key: keyHeader, name: nameHeader });
  }

  static async connect(url: string, options: NatsJetStreamBusOptions = {}): Promise<NatsJetStreamBus> {
    const resolved = { stream: 'ATES', ackWaitMs: 30_000, maxAckPending: 2_000, leaseMs: 9_000, ...options };
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
      // Otherwise each request (every publish awaits one) builds two errors up front, stack
      // traces included, in case it fails: 38-42 -> 25-27 us of client CPU a publish.
      noAsyncTraces: true,
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
    const js = jetstream(connection);
    return new NatsJetStreamBus(connection, js, jsm, resolved, await openLeaseBucket(js, jsm, resolved));
  }

  /**
   * `<stream>.<partition>.<name>`: a partitioned group's consumers read `<stream>.<partition>.>`,
   * a group reading by family `<stream>.*.<family>.>`, everyone else `<stream>.>`.
   */
  subjectOf(name: string, partitionKey: string): string {
    return `${this.options.stream}.${partitionOf(partitionKey)}.${name}`;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    refuseOversizedEvents(messages);
    // One connection keeps publish order; a window of concurrent publishes keeps it fast.
    for (let start = 0; start < messages.length; start += publishWindow) {
      await this.publisher.publishAll(
        messages.slice(start, start + publishWindow).map((message) => ({
          subject: this.subjectOf(message.name, message.partitionKey ?? message.key),
          message,
        })),
        10_000,
      );
    }
  }

  async subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    const maxBatch = options.maxBatch ?? 500;
    let leases: PartitionLeases | undefined;
    const subscription = new NatsJetStreamSubscription(
      options,
      handler,
      { keyHeader, nameHeader, ackWaitMs: this.options.ackWaitMs },
      {
        beforeStop: () => leases?.leave() ?? Promise.resolve(),
        flushAcks: () => this.connection.flush(),
        onStopped: () => this.subscriptions.delete(subscription),
      },
    );
    this.subscriptions.add(subscription);
    subscription.start();
    try {
      // A group that handles some event of every family reads the whole stream in one consumer.
      const families = options.names && [...new Set(options.names.map(familyOf))];
      const skipsAFamily = families && [...registryFamilies].some((family) => !families.includes(family));
      const wholeStream = await this.consumerInfo(durableName(options.group));
      if (
        !options.partitioned &&
        families &&
        skipsAFamily &&
        (await this.mayReadByFamily(options.group, wholeStream))
      ) {
        // Pulls a batch at a time from each family, while less than two wait unhandled.
        const handled = await this.retireWholeStreamConsumer(options.group, wholeStream);
        for (const family of families) {
          this.families.add(family);
          await this.ensureConsumer(options.group, handled, { family });
          await subscription.attach(
            family,
            await this.js.consumers.get(this.options.stream, familyDurable(options.group, family)),
            maxBatch,
          );
        }
        return subscription;
      }
      if (!options.partitioned) {
        await this.ensureConsumer(options.group);
        const consumer = await this.js.consumers.get(this.options.stream, durableName(options.group));
        // Pulls a batch at a time, while less than two wait unhandled.
        await subscription.attach(options.group, consumer, maxBatch);
        return subscription;
      }
      // Events stored before partitions have no partition in their subject: no partition
      // consumer would ever see those the whole-stream consumer had not handled.
      const left = wholeStream ? unfinished(wholeStream) : 0;
      if (left > 0)
        throw new Error(
          `${options.group} still has ${left} events on its whole-stream consumer: let the release before partitions handle them first`,
        );
      const handled = await this.retireWholeStreamConsumer(options.group, wholeStream);
      for (const partition of partitions) await this.ensureConsumer(options.group, handled, { partition });
      // A pull asks for a quarter batch (64 events at least): a member holding every partition
      // pulls about two batches past the two it keeps waiting.
      const prefetch = Math.max(64, Math.ceil((2 * maxBatch) / partitionCount));
      leases = await PartitionLeases.join(
        this.leases.bucket,
        options.group,
        { partitions: partitionCount, leaseMs: this.leases.leaseMs },
        {
          take: async (partition) => {
            await this.rewindToAckFloor(options.group, partition);
            const durable = partitionDurable(options.group, partition);
            await subscription.attach(
              String(partition),
              await this.js.consumers.get(this.options.stream, durable),
              prefetch,
            );
          },
          give: (partition) => subscription.detach(String(partition)),
        },
      );
      return subscription;
    } catch (error) {
      await subscription.stop();
      throw error;
    }
  }

  /**
   * A partitioned group is rewound partition by partition; any other group to a
   * whole-stream consumer at the position, which its next member moves to families.
   */
  async seek(group: string, position: number): Promise<void> {
    const partitioned = (await this.partitionConsumers(group)).length > 0;
    const names = [
      durableName(group),
      ...partitions.map((partition) => partitionDurable(group, partition)),
      ...[...this.families].map((family) => familyDurable(group, family)),
    ];
    for (const name of names) await this.jsm.consumers.delete(this.options.stream, name).catch(() => undefined);
    if (!partitioned) await this.ensureConsumer(group, position);
    else for (const partition of partitions) await this.ensureConsumer(group, position, { partition });
  }

  async lag(group: string): Promise<number> {
    const info = await this.consumerInfo(durableName(group));
    if (info) return unfinished(info);
    let consumers = await this.partitionConsumers(group);
    if (consumers.length === 0) consumers = await this.familyConsumers(group);
    if (consumers.length === 0) return this.head();
    return consumers.reduce((sum, consumer) => sum + unfinished(consumer), 0);
  }

  /** Partition → the member holding its lease, for a partitioned group: what operators and tests look at. */
  async partitionHolders(group: string): Promise<Map<number, string>> {
    const held = new Map<number, string>();
    for (const partition of partitions) {
      const entry = await this.leases.bucket.get(leaseKey(group, partition));
      if (entry?.operation === 'PUT') held.set(partition, entry.string());
    }
    return held;
  }

  async head(): Promise<number> {
    const info = await this.jsm.streams.info(this.options.stream);
    return info.state.last_seq;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.publisher.close();
    await this.connection.drain().catch(() => undefined);
  }

  /** Test and tool use only: removes the stream with everything in it. */
  async destroy(): Promise<void> {
    await this.jsm.streams.delete(this.options.stream).catch(() => undefined);
    await this.jsm.streams.delete(`KV_${this.options.stream}_leases`).catch(() => undefined);
    await this.close();
  }

  /** A durable consumer's state, or undefined when there is none by that name. */
  private consumerInfo(name: string) {
    return this.jsm.consumers.info(this.options.stream, name).catch(() => undefined);
  }

  /** The state of those of the named consumers that exist. */
  private async existingConsumers(names: readonly string[]): Promise<ConsumerInfo[]> {
    const found = await Promise.all(names.map((name) => this.consumerInfo(name)));
    return found.filter((info) => info !== undefined);
  }

  private partitionConsumers(group: string) {
    return this.existingConsumers(partitions.map((partition) => partitionDurable(group, partition)));
  }

  private familyConsumers(group: string) {
    return this.existingConsumers([...this.families].map((family) => familyDurable(group, family)));
  }

  /** A consumer's durable name, and the subjects it reads unless it is the group's whole-stream one. */
  private consumerScope(group: string, { partition, family }: ConsumerScope): { name: string; filter?: string } {
    if (partition !== undefined)
      return { name: partitionDurable(group, partition), filter: `${this.options.stream}.${partition}.>` };
    if (family !== undefined)
      return { name: familyDurable(group, family), filter: `${this.options.stream}.*.${family}.>` };
    return { name: durableName(group) };
  }

  /**
   * Events stored before partitions have subjects (`<stream>.<name>`) that no family's
   * filter matches. A group that still has some of them to read (its whole-stream
   * consumer has events left, or it is new and starts at the beginning) reads the whole
   * stream as before, until a later start finds it caught up.
   */
  private async mayReadByFamily(group: string, wholeStream: ConsumerInfo | undefined): Promise<boolean> {
    const readsOnlyNewEvents = wholeStream
      ? unfinished(wholeStream) === 0
      : (await this.familyConsumers(group)).length > 0;
    if (readsOnlyNewEvents) return true;
    const before = await this.jsm.streams.info(this.options.stream, {
      subjects_filter: `${this.options.stream}.*.*`,
    });
    return Object.keys(before.state.subjects ?? {}).length === 0;
  }

  /**
   * A group that becomes partitioned, or reads by family, leaves its whole-stream consumer
   * behind. Returns the position up to which it handled everything, where the new
   * consumers start: what it had delivered and not seen acknowledged comes again, which
   * the group's idempotency makes harmless.
   */
  private async retireWholeStreamConsumer(group: string, info: ConsumerInfo | undefined): Promise<number> {
    if (!info) return 0;
    await this.jsm.consumers.delete(this.options.stream, durableName(group));
    return handledUpTo(info);
  }

  /**
   * A member taking a partition over starts right after what was acknowledged: events
   * the last holder had in hand when it died or gave the partition up come again at
   * once, in order, instead of after the ack wait behind newer ones. The consumer's
   * idempotency (its inbox, or a handler that checks for itself) makes the few it had
   * handled but not yet acknowledged harmless.
   */
  private async rewindToAckFloor(group: string, partition: number): Promise<void> {
    const name = partitionDurable(group, partition);
    const info = await this.jsm.consumers.info(this.options.stream, name);
    if (info.num_ack_pending === 0) return;
    await this.jsm.consumers.delete(this.options.stream, name);
    await this.ensureConsumer(group, info.ack_floor.stream_seq, { partition });
  }

  /** The group's whole-stream consumer, or the one for a partition or a family of events. */
  private async ensureConsumer(group: string, afterPosition = 0, scope: ConsumerScope = {}): Promise<void> {
    const { name, filter } = this.consumerScope(group, scope);
    const existing = await this.consumerInfo(name);
    if (existing) {
      // Partition consumers made while this bound was a member's memory bound have an
      // eighth of it; the subscription bounds memory now.
      if (existing.config.max_ack_pending !== this.options.maxAckPending)
        await this.jsm.consumers.update(this.options.stream, name, { max_ack_pending: this.options.maxAckPending });
      return;
    }
    const ackWait = nanos(this.options.ackWaitMs);
    const config: Partial<ConsumerConfig> = {
      durable_name: name,
      ...(filter === undefined ? {} : { filter_subject: filter }),
      ack_policy: AckPolicy.Explicit,
      ack_wait: ackWait,
      // Per consumer, a partition's as a whole stream's: what a member holds in memory is
      // bounded by the subscription, which pulls only as it handles (a 1M shuffle's backlog
      // took accounting to 493-576 MB when the client pulled as events arrived). A smaller
      // bound per partition starved two members of full batches (0.85-0.94x one member).
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

/**
 * The bucket of partition leases beside the stream, created like the stream by the first
 * connection allowed to; its TTL is the lease time, so members renew at the bucket's pace.
 */
async function openLeaseBucket(
  js: JetStreamClient,
  jsm: JetStreamManager,
  options: Required<NatsJetStreamBusOptions>,
): Promise<{ bucket: KV; leaseMs: number }> {
  const name = `${options.stream}_leases`;
  const kvm = new Kvm(js);
  const existing = await jsm.streams.info(`KV_${name}`).catch(() => undefined);
  if (!existing) await kvm.create(name, { ttl: options.leaseMs, history: 1 });
  const maxAge = existing?.config.max_age;
  return { bucket: await kvm.open(name), leaseMs: maxAge ? maxAge / 1e6 : options.leaseMs };
}
