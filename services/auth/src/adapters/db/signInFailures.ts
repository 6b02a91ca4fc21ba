import type { Pool } from '@ates/platform/db';

export async function countRecentFailures(db: Pool, subject: string, withinMinutes: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM sign_in_failures WHERE subject = $1 AND failed_at > now() - make_interval(mins => $2)",
    [subject, withinMinutes],
  );
  return rows[0]!.n;
}

export async function recordFailure(db: Pool, subjects: readonly string[]): Promise<void> {
  await db.query('INSERT INTO sign_in_failures (subject) SELECT unnest($1::text[])', [[...subjects]]);
  await db.query("DELETE FROM sign_in_failures WHERE subject = ANY($1) AND failed_at < now() - interval '1 day'", [[...subjects]]);
}

export async function clearFailures(db: Pool, subject: string): Promise<void> {
  await db.query('DELETE FROM sign_in_failures WHERE subject = $1', [subject]);
}
