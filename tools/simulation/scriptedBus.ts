import type { BatchHandler, Delivery, EventBus, Subscription } from '../../packages/platform/src/bus/index.ts';

/**
 * A bus whose deliveries the simulation makes by hand: which events, in which batches, in
 * what order, how often. The consumers behind it are the real ones (inbox, handlers,
 * dead letters); only the timing is taken away from the broker and given to the schedule.
 */
export class ScriptedBus implements EventBus {
  readonly kind = 'postgres' as const;
  private readonly handlers = new Map<string, BatchHandler>();

  async subscribe(options: { group: string }, handler: BatchHandler): Promise<Subscription> {
    this.handlers.set(options.group, handler);
    return { stop: async () => void this.handlers.delete(options.group) };
  }

  /** Hands the group one batch; resolves when the consumer acknowledged it, rejects when it did not. */
  deliver(group: string, batch: readonly Delivery[]): Promise<void> {
    const handler = this.handlers.get(group);
    if (!handler) throw new Error(`nobody consumes ${group}`);
    return handler(batch);
  }

  async publish(): Promise<void> {
    throw new Error('the simulation publishes nothing through the bus');
  }

  async seek(): Promise<void> {}

  async lag(): Promise<number> {
    return 0;
  }

  async head(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {}
}
