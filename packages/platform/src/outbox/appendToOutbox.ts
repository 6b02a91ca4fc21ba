import { type Envelope, partitionKeyOf } from '@ates/contracts';
import { refuseOversizedEvents } from '../bus/index.ts';
import { afterCommit, type Tx } from '../db/index.ts';
import { outboxWritten } from './outboxWritten.ts';

export const outboxChannel = 'ates_outbox';

/**
 * The outbox write as parts of one SQL statement, for a command that writes its state
 * change and its events in a single statement (one round trip, atomic without BEGIN/COMMIT).
 * `$first` is the events, as one JSON document; `onlyIf` is a condition the rows are written under;
 * `rewrite` wraps the body and the partition key in SQL, for a value the statement itself
 * decides. The caller calls `outboxWritten()` once the statement has returned (committed).
 */
export function outboxStatementParts(
  events: readonly Envelope[],
  first: number,
  onlyIf = 'true',
  rewrite: (column: string) => string = (column) => column,
): { cte: string; params: unknown[] } {
  const bodies = events.map((e) => JSON.stringify(e));
  refuseOversizedEvents(events.map((e, index) => ({ id: e.event_id, name: e.event_name, body: bodies[index]! })));
  // One JSON document rather than an array per column: pg escapes array elements one by
  // one in JavaScript, JSON.stringify natively (the ledger writes 900 kB of bodies a batch).
  const rows = events.map((e, index) => ({
    event_id: e.event_id,
    event_name: e.event_name,
    aggregate_id: e.aggregate_id,
    body: bodies[index],
    partition_key: partitionKeyOf(e),
  }));
  return {
    cte: `outbox_rows AS (
       INSERT INTO ates_outbox (event_id, event_name, aggregate_id, body, partition_key)
       SELECT event_id, event_name, aggregate_id, ${rewrite('body')}, ${rewrite('partition_key')}
       FROM json_to_recordset($${first}::json)
         AS e(event_id text, event_name text, aggregate_id text, body text, partition_key text)
       WHERE ${onlyIf}
       RETURNING 1
     )`,
    params: [JSON.stringify(rows)],
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
  await tx.query(`WITH ${outbox.cte} SELECT 1`, outbox.params);
  wakeOutboxRelay(tx);
}

/** Wakes this process's outbox relay once the transaction commits (also for events SQL wrote itself). */
export function wakeOutboxRelay(tx: Tx): void {
  afterCommit(tx, outboxWritten);
}
