import { randomBytes } from 'node:crypto';
import type { Pool } from '@ates/platform/db';

/** A development secret made once and kept, so restarts keep sessions. */
export async function generatedSecret(pool: Pool, name: string): Promise<string> {
  await pool.query('INSERT INTO generated_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM generated_secrets WHERE name = $1', [name]);
  return rows[0]!.value;
}
