import type { Envelope } from '@ates/contracts';
import type { Tx } from '../db/index.ts';

export const outboxChannel = 'ates_outbox';

/**
 * Records events in the caller's transaction, so they exist if and only if the state
 * change they describe is committed. Envelopes come from `createEvent`, already valid.
 */
export async function appendToOutbox(tx: Tx, events: readonly Envelope[]): Promise<void> {
  if (events.length === 0) return;
  // The relay's wake-up rides along in the same statement; it is delivered on commit.
  await tx.query(
    `WITH written AS (
       INSERT INTO ates_outbox (event_id, event_name, aggregate_id, body)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       RETURNING 1
     )
     SELECT pg_notify('${outboxChannel}', '') FROM (SELECT 1 FROM written LIMIT 1) AS any_written`,
    [events.map((e) => e.event_id), events.map((e) => e.event_name), events.map((e) => e.aggregate_id), events.map((e) => JSON.stringify(e))],
  );
}
