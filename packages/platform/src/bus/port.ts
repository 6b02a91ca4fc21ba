/**
 * The event bus as the services see it. Two adapters stand behind it (a PostgreSQL
 * log and NATS JetStream) and both pass the same contract suite:
 * at-least-once delivery, durable consumer groups, replay from any position,
 * and order per aggregate.
 */

/** One event on its way to the bus: an encoded envelope plus what the bus routes by. */
export interface OutgoingMessage {
  /** The event id: publishing the same id twice stores it once. */
  readonly id: string;
  readonly name: string;
  /** The aggregate id: events with the same key are delivered in publish order. */
  readonly key: string;
  /**
   * What a partitioned group shares the work by (the event definition's partitionKey):
   * events with the same one reach such a group in publish order. The key when not set.
   */
  readonly partitionKey?: string;
  readonly body: string;
}

export interface Delivery extends OutgoingMessage {
  /** Place in the log; `seek(group, position)` replays everything after it. */
  readonly position: number;
  /** 1 on first delivery, more when the group sees it again. */
  readonly attempt: number;
  /**
   * Set when the bus would not hand over the body (larger than the limit): the body is
   * empty, and the consumer puts the event aside with this reason.
   */
  readonly refused?: string;
}

export interface SubscribeOptions {
  /** Members of one group share the work and its committed position; each group sees every event. */
  readonly group: string;
  /** Only events with these names; every event when left out. */
  readonly names?: readonly string[];
  readonly maxBatch?: number;
  /** Bytes of bodies a batch holds at most (one event over it still comes alone); default `maxBatchBytes`. */
  readonly maxBatchBytes?: number;
  /**
   * Lets several members of the group work at once, each on its share of the aggregate
   * keys (on NATS: partitions by key, leased to live members). Off, one member works at a
   * time. The PostgreSQL log always has one active member per group.
   */
  readonly partitioned?: boolean;
}

/**
 * Handles a batch in order. Resolving acknowledges the whole batch; throwing means
 * none of it is acknowledged and the same events come again after a backoff.
 */
export type BatchHandler = (batch: readonly Delivery[]) => Promise<void>;

export interface Subscription {
  /** Stops after the batch in hand; what it did not acknowledge is delivered again later. */
  stop(): Promise<void>;
}

export interface EventBus {
  readonly kind: 'postgres' | 'nats';
  /**
   * Durably stores the messages in this order; resolves once they are stored. Refuses the
   * lot, storing nothing, with an EventTooLargeError when a body is over `maxEventBytes`.
   */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription>;
  /** Moves a group so its next delivery is the first event after `position` (0: from the start). Stop the group first. */
  seek(group: string, position: number): Promise<void>;
  /** How far the group is behind: the events it has not acknowledged yet (on the PostgreSQL log, the positions). */
  lag(group: string): Promise<number>;
  /** Position of the newest event. */
  head(): Promise<number>;
  /**
   * Where a partitioned group's members share the work (NATS): partition → the member
   * holding it, named `<host>-<pid>-<random>`. Empty for a group that is not partitioned.
   */
  partitionHolders?(group: string): Promise<Map<number, string>>;
  close(): Promise<void>;
}
