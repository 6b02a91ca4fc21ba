import { migrateServiceDatabase } from '@ates/platform/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../tools/test/databases.ts';
import { postedKeysStatement } from '../src/adapters/db/transfers.ts';

let client: pg.Client;
beforeAll(async () => {
  const url = await freshDatabase('journal_plans');
  await migrateServiceDatabase(url, new URL('../migrations', import.meta.url).pathname);
  client = new pg.Client({ connectionString: url });
  await client.connect();
  // A journal of 20k lines with fresh statistics: big enough for a scan to cost, small
  // enough that 2,000 probes look dearer to the planner than reading it all.
  await client.query(
    "INSERT INTO ledger_accounts (id, kind) VALUES ('00000000-0000-7000-8000-000000000001', 'employee')",
  );
  await client.query(
    `INSERT INTO ledger_transfers (id, kind, from_account, to_account, amount, employee_id, task_id, business_day,
                                   idempotency_key, occurred_at, balance_after, sequence)
     SELECT gen_random_uuid(), 'fee', '00000000-0000-7000-8000-000000000001', 'company', 1500,
            '00000000-0000-7000-8000-000000000001', gen_random_uuid(), current_date, 'fee:' || n, now(), -1500 * n, n
     FROM generate_series(1, 20000) n`,
  );
  await client.query('ANALYZE ledger_transfers');
});
afterAll(() => client.end());

describe('the journal', () => {
  it('checks a batch of 2,000 idempotency keys by index probes, never by reading every line', async () => {
    const keys = Array.from({ length: 2_000 }, (_, index) => `fee:${index * 7}`);
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${postedKeysStatement}`, [keys]);
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).not.toMatch(/Seq Scan on ledger_transfers/);
    expect(plan).toMatch(/Index Only Scan using ledger_transfers_idempotency_key_key/);
  });

  it('finds exactly the keys already posted', async () => {
    const { rows } = await client.query<{ key: string }>(postedKeysStatement, [['fee:1', 'fee:20000', 'fee:20001']]);
    expect(rows.map((row) => row.key).sort()).toEqual(['fee:1', 'fee:20000']);
  });
});
