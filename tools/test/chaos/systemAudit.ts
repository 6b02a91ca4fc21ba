import pg from 'pg';
import type { Envelope } from '../../../packages/contracts/src/index.ts';
import { connectBus } from '../../../packages/platform/src/bus/index.ts';
import { readWholeLog } from '../busLog.ts';
import { waitFor } from '../waitFor.ts';

type Env = Record<string, string | undefined>;
const consumerGroups = ['tasks.accounts', 'accounting.ledger', 'analytics', 'notifications.payouts'];
const producers = ['auth', 'tasks', 'accounting'];
const readModelQueries = [
  'SELECT task_id, title, jira_id FROM task_titles ORDER BY task_id',
  'SELECT task_id, reward, completed_day FROM completed_tasks ORDER BY task_id',
  'SELECT day, task_id, reward FROM daily_top_task ORDER BY day',
  'SELECT day, earned FROM daily_earnings ORDER BY day',
  'SELECT account_id, balance FROM account_balances ORDER BY account_id',
];

/** Reads every service's database and the bus to judge whether aTES ended up right. */
export class SystemAudit {
  private readonly pools: Record<string, pg.Pool> = {};

  constructor(private readonly env: Env) {
    for (const name of ['auth', 'tasks', 'accounting', 'analytics', 'notifications']) {
      this.pools[name] = new pg.Pool({ connectionString: env[`${name.toUpperCase()}_DATABASE_URL`], max: 2 });
    }
  }

  private async rows<T extends pg.QueryResultRow>(service: string, sql: string): Promise<T[]> {
    return (await this.pools[service]!.query<T>(sql)).rows;
  }

  /** Waits until a consumer group has applied everything on the bus so far. */
  async waitForGroup(group: string, timeoutMs: number): Promise<void> {
    const bus = await connectBus(this.env);
    try {
      await waitFor(`${group} to catch up`, async () => (await bus.lag(group)) === 0, timeoutMs);
    } finally {
      await bus.close();
    }
  }

  /** Waits until every outbox is empty, every group has read everything and every owed email left. */
  async waitForQuiet(timeoutMs: number): Promise<void> {
    const bus = await connectBus(this.env);
    try {
      await waitFor(
        'aTES to converge',
        async () => {
          for (const service of producers)
            if ((await this.rows<{ n: number }>(service, 'SELECT count(*)::int AS n FROM ates_outbox'))[0]!.n > 0)
              return false;
          for (const group of consumerGroups) if ((await bus.lag(group)) > 0) return false;
          const pending = await this.rows<{ n: number }>(
            'notifications',
            "SELECT count(*)::int AS n FROM outgoing_emails WHERE status = 'pending'",
          );
          return pending[0]!.n === 0;
        },
        timeoutMs,
      );
    } finally {
      await bus.close();
    }
  }

  async taskTrackerKnows(accountIds: string[]): Promise<boolean> {
    const { rows } = await this.pools['tasks']!.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM directory_accounts WHERE id = ANY($1::uuid[])',
      [accountIds],
    );
    return rows[0]!.n === accountIds.length;
  }

  events(): Promise<Envelope[]> {
    return readWholeLog(this.env);
  }

  tasks() {
    return this.rows<{ id: string; status: string; assign_fee: number; completion_reward: number }>(
      'tasks',
      'SELECT id, status, assign_fee, completion_reward FROM tasks',
    );
  }

  transfers() {
    return this.rows<{
      kind: string;
      idempotency_key: string;
      amount: number;
      employee_id: string;
      task_id: string | null;
      business_day: string;
    }>(
      'accounting',
      "SELECT kind, idempotency_key, amount, employee_id, task_id, to_char(business_day, 'YYYY-MM-DD') AS business_day FROM ledger_transfers",
    );
  }

  /** Each account's balance next to what its postings add up to. */
  balances() {
    return this.rows<{ id: string; balance: number; from_postings: number }>(
      'accounting',
      `SELECT a.id, a.balance,
              (coalesce((SELECT sum(amount) FROM ledger_transfers WHERE to_account = a.id), 0)
             - coalesce((SELECT sum(amount) FROM ledger_transfers WHERE from_account = a.id), 0))::bigint AS from_postings
         FROM ledger_accounts a`,
    );
  }

  emails() {
    return this.rows<{ id: string; account_id: string; business_day: string; status: string }>(
      'notifications',
      "SELECT id, account_id, to_char(business_day, 'YYYY-MM-DD') AS business_day, status FROM outgoing_emails",
    );
  }

  async deadLetters(): Promise<number> {
    let total = 0;
    for (const service of Object.keys(this.pools))
      total += (await this.rows<{ n: number }>(service, 'SELECT count(*)::int AS n FROM ates_dead_letters'))[0]!.n;
    return total;
  }

  /** The whole analytics read model, as comparable text. */
  async analyticsReadModel(): Promise<string> {
    const parts: unknown[] = [];
    for (const sql of readModelQueries) parts.push(await this.rows('analytics', sql));
    return JSON.stringify(parts);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.pools).map((pool) => pool.end()));
  }
}
