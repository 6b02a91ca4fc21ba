import { randomUUID } from 'node:crypto';
import { lockKeys, type Pool, withTransaction } from '@ates/platform/db';
import type { RecentFailures } from '../../domain/signInThrottle.ts';

/**
 * Counts an attempt as failed before it is checked, under a lock per subject, unless the
 * subjects' recent failures already say no (`decide`). Returns the attempt to take back
 * on success, or the refusal.
 */
export async function beginAttempt(
  pool: Pool,
  subjects: Record<keyof RecentFailures, string>,
  windowMinutes: number,
  decide: (recent: RecentFailures) => { allowed: true } | { allowed: false; message: string },
): Promise<{ attempt: string } | { refused: string }> {
  const names = Object.keys(subjects) as (keyof RecentFailures)[];
  const values = names.map((name) => subjects[name]);
  return withTransaction(pool, async (tx) => {
    // In a fixed order, so two attempts never wait on each other in a circle.
    await tx.query(
      'SELECT pg_advisory_xact_lock($1, hashtext(s)) FROM (SELECT unnest($2::text[]) AS s ORDER BY 1) AS ordered',
      [lockKeys.signInThrottleNamespace, [...values].sort()],
    );
    const { rows } = await tx.query<{ subject: string; n: number }>(
      'SELECT subject, count(*)::int AS n FROM sign_in_failures WHERE subject = ANY($1) AND failed_at > now() - make_interval(mins => $2) GROUP BY subject',
      [values, windowMinutes],
    );
    const counts = new Map(rows.map((row) => [row.subject, row.n]));
    const recent = Object.fromEntries(
      names.map((name) => [name, counts.get(subjects[name]) ?? 0]),
    ) as unknown as RecentFailures;
    const decision = decide(recent);
    if (!decision.allowed) return { refused: decision.message };
    const attempt = randomUUID();
    await tx.query('INSERT INTO sign_in_failures (subject, attempt) SELECT unnest($1::text[]), $2', [values, attempt]);
    await tx.query("DELETE FROM sign_in_failures WHERE subject = ANY($1) AND failed_at < now() - interval '1 day'", [
      values,
    ]);
    return { attempt };
  });
}

/** A successful attempt is no failure; the account's earlier failures from this place are forgiven. */
export async function attemptSucceeded(pool: Pool, attempt: string, accountAndAddress: string): Promise<void> {
  await pool.query('DELETE FROM sign_in_failures WHERE attempt = $1 OR subject = $2', [attempt, accountAndAddress]);
}
