import type { EventBus } from '@ates/platform/bus';
import { type Pool, withTransaction } from '@ates/platform/db';
import { EventConsumer } from '@ates/platform/inbox';
import type { Logger } from '@ates/platform/log';
import type { Tracing } from '@ates/platform/telemetry';
import type { BusinessClock } from '@ates/platform/time';
import { emptyReadModel } from '../adapters/db/readModel.ts';
import { analyticsHandlers } from './eventHandlers.ts';

export const analyticsGroup = 'analytics';

/** The analytics read model and the consumer that feeds it; it can be thrown away and rebuilt from the log. */
export class AnalyticsProjection {
  private consumer: EventConsumer | undefined;

  constructor(
    private readonly options: { bus: EventBus; pool: Pool; clock: BusinessClock; logger?: Logger; tracing?: Tracing },
  ) {}

  async start(): Promise<void> {
    const { bus, pool, clock, logger, tracing } = this.options;
    this.consumer = await EventConsumer.start({
      bus,
      pool,
      group: analyticsGroup,
      handlers: analyticsHandlers(clock),
      logger,
      tracing,
      maxBatch: 1_000,
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = undefined;
  }

  /** Drops the read model and replays the bus from position 0 into it. */
  async rebuild(): Promise<void> {
    await this.stop();
    await withTransaction(this.options.pool, async (tx) => {
      await emptyReadModel(tx, analyticsGroup);
    });
    await this.options.bus.seek(analyticsGroup, 0);
    await this.start();
  }
}
