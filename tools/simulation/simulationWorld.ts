import { uuidv7 } from 'uuidv7';
import { accountDirectoryMigrations } from '../../packages/platform/src/accounts/index.ts';
import type { Delivery } from '../../packages/platform/src/bus/index.ts';
import {
  createPool,
  ensureDatabase,
  migrateDatabase,
  migrateServiceDatabase,
  type Pool,
  withDatabase,
} from '../../packages/platform/src/db/index.ts';
import { EventConsumer } from '../../packages/platform/src/inbox/index.ts';
import { BusinessClock } from '../../packages/platform/src/time/index.ts';
import { accountingHandlers } from '../../services/accounting/src/app/eventHandlers.ts';
import { readModelTables } from '../../services/analytics/src/adapters/db/readModel.ts';
import { analyticsHandlers } from '../../services/analytics/src/app/eventHandlers.ts';
import type { AnalyticsSnapshot, LedgerSnapshot } from './ledgerModel.ts';
import type { Schedule } from './schedule.ts';
import { ScriptedBus } from './scriptedBus.ts';

const migrations = (service: string) => new URL(`../../services/${service}/migrations`, import.meta.url).pathname;

/**
 * The real accounting and analytics databases and consumers the schedules run against,
 * made once and emptied before each schedule. Only the bus is scripted.
 */
export class SimulationWorld {
  readonly bus = new ScriptedBus();
  /** One clock for the handlers; each schedule sets it to its own start. */
  readonly clock = new BusinessClock('UTC');
  private consumers: EventConsumer[] = [];

  private constructor(
    readonly accounting: Pool,
    readonly analytics: Pool,
  ) {}

  /** Creates (or reuses) the two databases on the server at `serverUrl`, migrated as the services migrate them. */
  static async create(serverUrl: string, prefix = 'simulation'): Promise<SimulationWorld> {
    const accountingUrl = withDatabase(serverUrl, `${prefix}_accounting`);
    const analyticsUrl = withDatabase(serverUrl, `${prefix}_analytics`);
    for (const [url, service] of [
      [accountingUrl, 'accounting'],
      [analyticsUrl, 'analytics'],
    ] as const) {
      await ensureDatabase(url);
      await migrateDatabase(url, accountDirectoryMigrations.dir, accountDirectoryMigrations.table);
      await migrateServiceDatabase(url, migrations(service));
    }
    // Closes under way at once each hold a connection, and the consumer one more.
    const world = new SimulationWorld(createPool(accountingUrl, { max: 12 }), createPool(analyticsUrl, { max: 4 }));
    world.consumers = [
      await EventConsumer.start({
        bus: world.bus,
        pool: world.accounting,
        group: 'accounting.ledger',
        handlers: accountingHandlers(world.clock),
        redrivePollMs: 3_600_000,
      }),
      await EventConsumer.start({
        bus: world.bus,
        pool: world.analytics,
        group: 'analytics',
        handlers: analyticsHandlers(world.clock),
        redrivePollMs: 3_600_000,
      }),
    ];
    return world;
  }

  async reset(): Promise<void> {
    await this.accounting.query(
      `TRUNCATE ledger_transfers, known_tasks, business_days, ates_inbox, ates_outbox, ates_dead_letters;
       DELETE FROM ledger_accounts WHERE kind = 'employee';
       UPDATE ledger_accounts SET balance = 0, last_sequence = 0;`,
    );
    await this.analytics.query(`TRUNCATE ${readModelTables.join(', ')}, ates_inbox, ates_dead_letters`);
  }

  /** Sets the clock to `instant` (the handlers keep the same clock object). */
  setTime(instant: number): void {
    this.clock.advance(instant - this.clock.now().getTime());
  }

  /**
   * Gives analytics every posting the ledger announced, out of order, some twice, some
   * again under a new event id, in batches: as a broker that redelivers and reorders would.
   */
  async feedAnalytics(schedule: Schedule): Promise<void> {
    const { rows } = await this.accounting.query<{ event_id: string; body: string; aggregate_id: string }>(
      "SELECT event_id, body, aggregate_id FROM ates_outbox WHERE event_name = 'accounting.transaction_applied' ORDER BY id",
    );
    const plan = schedule.analyticsDelivery;
    const deliveries: { delivery: Delivery; order: number }[] = [];
    rows.forEach((row, index) => {
      const how = plan[index % plan.length]!;
      const delivery: Delivery = {
        id: row.event_id,
        name: 'accounting.transaction_applied',
        key: row.aggregate_id,
        body: row.body,
        position: index + 1,
        attempt: 1,
      };
      deliveries.push({ delivery, order: how.order });
      if (how.twice) deliveries.push({ delivery: { ...delivery, attempt: 2 }, order: 1 - how.order });
      if (how.resentAsNew) {
        const id = uuidv7();
        deliveries.push({
          delivery: { ...delivery, id, body: JSON.stringify({ ...JSON.parse(row.body), event_id: id }) },
          order: (how.order + 0.5) % 1,
        });
      }
    });
    const ordered = deliveries.sort((a, b) => a.order - b.order).map(({ delivery }) => delivery);
    for (let at = 0; at < ordered.length; at += schedule.analyticsBatch)
      await this.bus.deliver('analytics', ordered.slice(at, at + schedule.analyticsBatch));
  }

  async ledgerSnapshot(): Promise<LedgerSnapshot> {
    const [transfers, accounts, days, letters] = await Promise.all([
      this.accounting.query<LedgerSnapshot['transfers'][number]>(
        `SELECT kind, idempotency_key AS key, employee_id::text AS account,
                CASE WHEN to_account = employee_id::text THEN amount ELSE -amount END AS change,
                to_char(business_day, 'YYYY-MM-DD') AS day, sequence, balance_after AS "balanceAfter"
         FROM ledger_transfers`,
      ),
      this.accounting.query<LedgerSnapshot['accounts'][number]>(
        'SELECT id, kind, balance, last_sequence AS "lastSequence" FROM ledger_accounts',
      ),
      this.accounting.query<LedgerSnapshot['days'][number]>(
        'SELECT to_char(day, \'YYYY-MM-DD\') AS day, state, payouts, paid_out AS "paidOut" FROM business_days',
      ),
      this.accounting.query<{ reason: string }>('SELECT reason FROM ates_dead_letters'),
    ]);
    return {
      transfers: transfers.rows,
      accounts: accounts.rows,
      days: days.rows,
      deadLetters: letters.rows.map((row) => row.reason),
    };
  }

  async analyticsSnapshot(): Promise<AnalyticsSnapshot> {
    const [earnings, balances, letters] = await Promise.all([
      this.analytics.query<{ day: string; earned: number }>(
        "SELECT to_char(day, 'YYYY-MM-DD') AS day, earned FROM daily_earnings",
      ),
      this.analytics.query<{ account_id: string; balance: number }>(
        'SELECT account_id::text, balance FROM account_balances',
      ),
      this.analytics.query<{ reason: string }>('SELECT reason FROM ates_dead_letters'),
    ]);
    return {
      earnings: new Map(earnings.rows.map((row) => [row.day, row.earned])),
      balances: new Map(balances.rows.map((row) => [row.account_id, row.balance])),
      inTheRed: balances.rows.filter((row) => row.balance < 0).length,
      deadLetters: letters.rows.map((row) => row.reason),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await Promise.all([this.accounting.end(), this.analytics.end()]);
  }
}
