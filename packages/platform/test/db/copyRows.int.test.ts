import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tools/test/databases.ts';
import { copyRows, createPool, type Pool, withTransaction } from '../../src/db/index.ts';

describe('copyRows', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = createPool(await freshDatabase('copy_rows'));
    await pool.query(
      'CREATE TABLE copied (n integer PRIMARY KEY, note text, amount bigint CHECK (amount > 0), day date, at timestamptz)',
    );
  });
  afterAll(() => pool.end());
  const copied = async (n: number) =>
    (
      await pool.query<{ note: string | null; amount: string; day: string; at: Date }>(
        "SELECT note, amount::text, to_char(day, 'YYYY-MM-DD') AS day, at FROM copied WHERE n = $1",
        [n],
      )
    ).rows[0];

  it('writes text with tabs, newlines, backslashes and non-ASCII characters as it was', async () => {
    const note = 'a\tb\nc\r\\N \\ "quoted" — попуг 🦜';
    await withTransaction(pool, (tx) => copyRows(tx, 'copied', ['n', 'note'], [[1, note]]));
    expect((await copied(1))?.note).toBe(note);
  });

  it('writes null as null, not as text', async () => {
    await withTransaction(pool, (tx) => copyRows(tx, 'copied', ['n', 'note'], [[2, null]]));
    expect((await copied(2))?.note).toBeNull();
  });

  it('writes numbers, dates and timestamps in their columns', async () => {
    await withTransaction(pool, (tx) =>
      copyRows(
        tx,
        'copied',
        ['n', 'amount', 'day', 'at'],
        [[3, 9_007_199_254_740_991, '2026-11-26', '2026-11-26T10:00:00.123Z']],
      ),
    );
    expect(await copied(3)).toEqual({
      note: null,
      amount: '9007199254740991',
      day: '2026-11-26',
      at: new Date('2026-11-26T10:00:00.123Z'),
    });
  });

  it('writes thousands of rows, more than one buffer of them', async () => {
    const rows = Array.from({ length: 5_000 }, (_, index) => [1_000 + index, 'x'.repeat(100 + (index % 7))]);
    await withTransaction(pool, (tx) => copyRows(tx, 'copied', ['n', 'note'], rows));
    const { rows: counted } = await pool.query<{ n: number; bytes: number }>(
      'SELECT count(*)::int AS n, sum(length(note))::int AS bytes FROM copied WHERE n >= 1000',
    );
    expect(counted[0]).toEqual({ n: 5_000, bytes: rows.reduce((sum, row) => sum + (row[1] as string).length, 0) });
  });

  it('writes none of the rows when one breaks a constraint, with the database error', async () => {
    const copying = withTransaction(pool, (tx) =>
      copyRows(
        tx,
        'copied',
        ['n', 'amount'],
        [
          [10, 5],
          [11, -5],
        ],
      ),
    );
    await expect(copying).rejects.toMatchObject({ code: '23514' });
    expect(await copied(10)).toBeUndefined();
  });
});
