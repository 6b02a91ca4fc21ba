import { type Envelope, partitionKeyOf } from '@ates/contracts';
import { refuseOversizedEvents } from '../bus/index.ts';
import { afterCommit, copyRows, type Tx } from '../db/index.ts';
import { outboxWritten } from './outboxWritten.ts';

export const outboxChannel = 'ates_outbox';

interface OutboxRow {
  event_id: string;
  event_name: string;
  aggregate_id: string;
  body: string;
  partition_key: string;
}

/** The columns an outbox row writes, in the order both the INSERT and the COPY name them. */
const outboxColumns = ['event_id', 'event_name', 'aggregate_id', 'body', 'partition_key'] as const;

/** The events as outbox rows; one the bus would refuse for its size throws EventTooLargeError. */
function outboxRows(events: readonly Envelope[]): OutboxRow[] {
  const rows = events.map((e) => ({
    event_id: e.event_id,
    event_name: e.event_name,
    aggregate_id: e.aggregate_id,
    body: JSON.stringify(e),
    partition_key: partitionKeyOf(e),
  }));
  refuseOversizedEvents(rows.map((row) => ({ id: row.event_id, name: row.event_name, body: row.body })));
  return rows;
}

/** How the events of a one-statement write are tied to what the statement decides itself. */
export interface OutboxStatementOptions {
  /** SQL joined to the events (`e`), for instance to the rows the statement wrote: an event is written only if it matches. */
  join?: string;
  /** Wraps the body and the partition key, for a value the statement decides (columns of `join`). */
  rewrite?: (column: string) => string;
}

function insertParts(
  rows: readonly OutboxRow[],
  first: number,
  { join = '', rewrite = (column) => column }: OutboxStatementOptions = {},
): { cte: string; params: unknown[] } {
  return {
    // In the order given, whatever the join does to it: the relay publishes by outbox id.
    cte: `outbox_rows AS (
       INSERT INTO ates_outbox (${outboxColumns.join(', ')})
       SELECT e.event_id, e.event_name, e.aggregate_id, ${rewrite('e.body')}, ${rewrite('e.partition_key')}
       FROM ROWS FROM (json_to_recordset($${first}::json)
         AS (event_id text, event_name text, aggregate_id text, body text, partition_key text))
         WITH ORDINALITY AS e(event_id, event_name, aggregate_id, body, partition_key, n)
       ${join}
       ORDER BY e.n
       RETURNING 1
     )`,
    // One JSON document rather than an array per column: pg escapes array elements one by
    // one in JavaScript, JSON.stringify natively.
    params: [JSON.stringify(rows)],
  };
}

/**
 * The outbox write as parts of one SQL statement, for a command that writes its state
 * change and its events in a single statement (one round trip, atomic without BEGIN/COMMIT).
 * `$first` is the events, as one JSON document. The caller calls `outboxWritten()` once the
 * statement has returned (committed).
 */
export function outboxStatementParts(
  events: readonly Envelope[],
  first: number,
  options: OutboxStatementOptions = {},
): { cte: string; params: unknown[] } {
  return insertParts(outboxRows(events), first, options);
}

/**
 * Bodies from which the outbox is written with COPY. In a JSON document each body rides as
 * an escaped string, which JavaScript escapes and PostgreSQL unescapes again: the ledger
 * announces about 50 KB of postings an event, 1.5 MB a batch. Below this, a command's few
 * events keep the one-statement INSERT and save COPY's extra round trips.
 */
const copyFromBytes = 64 * 1024;

/**
 * Records events in the caller's transaction, so they exist if and only if the state
 * change they describe is committed. Envelopes come from `createEvent`, already valid;
 * one the bus would refuse for its size throws EventTooLargeError, so nothing commits.
 */
export async function appendToOutbox(tx: Tx, events: readonly Envelope[]): Promise<void> {
  if (events.length === 0) return;
  const rows = outboxRows(events);
  if (rows.reduce((bytes, row) => bytes + row.body.length, 0) >= copyFromBytes) {
    await copyRows(
      tx,
      'ates_outbox',
      outboxColumns,
      rows.map((row) => outboxColumns.map((column) => row[column])),
    );
  } else {
    const insert = insertParts(rows, 1);
    await tx.query(`WITH ${insert.cte} SELECT 1`, insert.params);
  }
  wakeOutboxRelay(tx);
}

/** Wakes this process's outbox relay once the transaction commits (also for events SQL wrote itself). */
export function wakeOutboxRelay(tx: Tx): void {
  afterCommit(tx, outboxWritten);
}
