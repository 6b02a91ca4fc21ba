import type { Pool, Tx } from '../db/index.ts';
import { eventsDeadLettered } from '../metrics/index.ts';

export interface DeadLetter {
  consumerGroup: string;
  eventId: string | null;
  eventName: string | null;
  busPosition: number | null;
  body: string;
  reason: string;
  attempts: number;
}

export interface StoredDeadLetter extends DeadLetter {
  id: number;
  failedAt: Date;
  redriveRequestedAt: Date | null;
  redrivenAt: Date | null;
}

/** PostgreSQL text cannot hold NUL; a dead letter must still be storable, so it is spelled out. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const storable = (text: string | null) => (text === null ? null : text.replace(/\u0000/g, '\\u0000'));

export async function putAside(tx: Tx | Pool, letters: readonly DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await tx.query(
    `INSERT INTO ates_dead_letters (consumer_group, event_id, event_name, bus_position, body, reason, attempts)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::int[])
     ON CONFLICT DO NOTHING`,
    [
      letters.map((l) => l.consumerGroup),
      letters.map((l) => storable(l.eventId)),
      letters.map((l) => storable(l.eventName)),
      letters.map((l) => l.busPosition),
      letters.map((l) => storable(l.body)),
      letters.map((l) => storable(l.reason)),
      letters.map((l) => l.attempts),
    ],
  );
  for (const letter of letters) eventsDeadLettered.inc({ group: letter.consumerGroup });
}

export async function listDeadLetters(
  pool: Pool,
  options: { group?: string; includeRedriven?: boolean } = {},
): Promise<StoredDeadLetter[]> {
  const { rows } = await pool.query(
    `SELECT id, consumer_group AS "consumerGroup", event_id AS "eventId", event_name AS "eventName", bus_position AS "busPosition",
            body, reason, attempts, failed_at AS "failedAt", redrive_requested_at AS "redriveRequestedAt", redriven_at AS "redrivenAt"
     FROM ates_dead_letters
     WHERE ($1::text IS NULL OR consumer_group = $1) AND ($2 OR redriven_at IS NULL)
     ORDER BY id`,
    [options.group ?? null, options.includeRedriven ?? false],
  );
  return rows as StoredDeadLetter[];
}

/**
 * Asks the running consumers to try these dead letters again (all open ones of the
 * group when no ids are given). Returns how many were marked.
 */
export async function requestRedrive(
  pool: Pool,
  options: { group?: string; ids?: readonly number[] } = {},
): Promise<number> {
  const result = await pool.query(
    `UPDATE ates_dead_letters SET redrive_requested_at = now()
     WHERE redriven_at IS NULL AND ($1::text IS NULL OR consumer_group = $1) AND ($2::bigint[] IS NULL OR id = ANY($2))`,
    [options.group ?? null, options.ids ? [...options.ids] : null],
  );
  return result.rowCount ?? 0;
}

/** Asks a group to put the event at `position` aside when it meets it again: the way out of a stuck position. */
export async function setAside(pool: Pool, group: string, position: number): Promise<void> {
  await pool.query('INSERT INTO ates_set_aside (consumer_group, bus_position) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    group,
    position,
  ]);
}

/** Which of these positions an operator asked the group to put aside. */
export async function positionsSetAside(pool: Pool, group: string, positions: readonly number[]): Promise<Set<number>> {
  const { rows } = await pool.query<{ bus_position: number }>(
    'SELECT bus_position FROM ates_set_aside WHERE consumer_group = $1 AND bus_position = ANY($2::bigint[])',
    [group, [...positions]],
  );
  return new Set(rows.map((row) => row.bus_position));
}

/** The requests are done once their events are dead letters (in the same transaction). */
export async function setAsideDone(tx: Tx, group: string, positions: readonly number[]): Promise<void> {
  if (positions.length === 0) return;
  await tx.query('DELETE FROM ates_set_aside WHERE consumer_group = $1 AND bus_position = ANY($2::bigint[])', [
    group,
    [...positions],
  ]);
}
