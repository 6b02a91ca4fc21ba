import type { Envelope } from '@ates/contracts';
import { refuseOversizedEvents } from '../bus/index.ts';
import type { Tx } from '../db/index.ts';

export const outboxChannel = 'ates_outbox';

/**
 * The outbox write as parts of one SQL statement, for a command that writes its state
 * change and its events in a single statement (one round trip, atomic without BEGIN/COMMIT).
 * `$first`…`$first+3` are the event columns; `onlyIf` is a condition the rows are written under.
 */
export function outboxStatementParts(
  events: readonly Envelope[],
  first: number,
  onlyIf = 'true',
): { cte: string; wakeRelay: string; params: unknown[] } {
  const bodies = events.map((e) => JSON.stringify(e));
  refuseOversizedEvents(events.map((e, index) => ({ id: e.event_id, name: e.event_name, body: bodies[index]! })));
  return {
    cte: `outbox_rows AS (
       INSERT INTO ates_outbox (event_id, event_name, aggregate_id, body)
       SELECT * FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::text[]) WHERE ${onlyIf}
       RETURNING 1
     )`,
    // The relay's wake-up rides along in the same statement; it is delivered on commit.
    wakeRelay: `(SELECT pg_notify('${outboxChannel}', '') FROM (SELECT 1 FROM outbox_rows LIMIT 1) AS any_written)`,
    params: [events.map((e) => e.event_id), events.map((e) => e.event_name), events.map((e) => e.aggregate_id), bodies],
  };
}

/**
 * Records events in the caller's transaction, so they exist if and only if the state
 * change they describe is committed. Envelopes come from `createEvent`, already valid;
 * one the bus would refuse for its size throws EventTooLargeError, so nothing commits.
 */
export async function appendToOutbox(tx: Tx, events: readonly Envelope[]): Promise<void> {
  if (events.length === 0) return;
  const outbox = outboxStatementParts(events, 1);
  await tx.query(`WITH ${outbox.cte} SELECT ${outbox.wakeRelay}`, outbox.params);
}

/** Wakes the outbox relay when the transaction commits (for events SQL wrote itself). */
export async function wakeOutboxRelay(tx: Tx): Promise<void> {
  await tx.query(`SELECT pg_notify('${outboxChannel}', '')`);
}
