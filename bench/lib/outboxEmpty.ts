import type { Pool } from '@ates/platform/db';

/**
 * The service's outbox holds nothing more to relay. Asked by the benches every 50 to
 * 250 ms, so it reads one index entry: a count(*) of a million-row outbox took a good
 * part of the core the relay was being measured on.
 */
export async function outboxEmpty(pool: Pool): Promise<boolean> {
  return (await pool.query('SELECT id FROM ates_outbox ORDER BY id LIMIT 1')).rows.length === 0;
}
