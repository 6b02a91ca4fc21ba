import { lockKeys, type Pool, type Tx } from '@ates/platform/db';

export interface ReassignedChunk {
  /** Tasks given a new assignee. */
  reassigned: number;
  /** Where the chunk ended, and the next one starts. */
  last: string;
  /** The chunk reached the last task the shuffle covers. */
  finished: boolean;
}

/**
 * Gives the next `limit` open tasks after `after` (up to `through`, in id order) a random
 * assignee from the pool, in one statement: no round trip per task. Each popug's share is
 * announced in `task.assigned` v3 events of at most `perEvent` assignments, built here in
 * SQL; `shuffleOpenTasks` checks one against the registry before committing.
 */
export async function reassignOpenTasks(
  tx: Tx,
  options: {
    excludedRoles: readonly string[];
    at: Date;
    traceId: string;
    after: string | null;
    through: string;
    limit: number;
    perEvent: number;
  },
): Promise<ReassignedChunk> {
  const { rows } = await tx.query<ReassignedChunk>(
    `WITH candidates AS (
       SELECT array_agg(id) AS ids FROM directory_accounts WHERE active AND role <> ALL($1::text[])
     ),
     -- The chunk is a range of ids, so the update walks an index instead of joining the
     -- whole table to a list of ids: that join read every task for each chunk.
     range AS (
       SELECT coalesce($4::uuid, '00000000-0000-0000-0000-000000000000') AS after,
              (SELECT id FROM tasks
               WHERE status = 'open' AND id > coalesce($4::uuid, '00000000-0000-0000-0000-000000000000') AND id <= $5
               ORDER BY id OFFSET $6 - 1 LIMIT 1) AS upto
     ),
     moved AS (
       UPDATE tasks t SET assignee_id = c.ids[1 + floor(random() * cardinality(c.ids))::int]
       FROM candidates c, range r
       WHERE t.status = 'open' AND t.id > r.after AND t.id <= coalesce(r.upto, $5) AND cardinality(c.ids) > 0
       RETURNING t.id, t.assignee_id, t.assign_fee
     ),
     shares AS (
       SELECT assignee_id, count(*) AS n,
              json_agg(json_build_object('task_id', id, 'assignment_id', ates_uuid_v7(), 'assign_fee', assign_fee) ORDER BY id) AS assignments
       FROM (SELECT *, (row_number() OVER (PARTITION BY assignee_id ORDER BY id) - 1) / $7 AS part FROM moved) AS numbered
       GROUP BY assignee_id, part
     ),
     -- PostgreSQL runs a data-modifying WITH whether or not the query reads it.
     written AS (
       INSERT INTO ates_outbox (event_id, event_name, aggregate_id, partition_key, body)
       -- Partitioned by the assignee, as TaskAssignedV3.partitionKey says.
       SELECT event_id::text, 'task.assigned', assignee_id::text, assignee_id::text, ates_envelope(event_id, 'task.assigned', 3, 'tasks', $2::text, assignee_id::text, $3::text,
         json_build_object('assignee_id', assignee_id, 'cause', 'shuffle', 'assigned_at', $2::text, 'assignments', assignments))
       FROM (SELECT ates_uuid_v7() AS event_id, * FROM shares) AS events
     )
     SELECT (SELECT coalesce(sum(n), 0) FROM shares)::int AS reassigned,
            (SELECT coalesce(upto, $5) FROM range)::text AS last,
            (SELECT upto IS NULL FROM range) AS finished`,
    [
      [...options.excludedRoles],
      options.at.toISOString(),
      options.traceId,
      options.after,
      options.through,
      options.limit,
      options.perEvent,
    ],
  );
  return rows[0]!;
}

export interface ShuffleProgress {
  id: string;
  traceId: string;
  throughTask: string | null;
  doneThrough: string | null;
  reassigned: number;
  finished: boolean;
}

const progressColumns = `id, trace_id AS "traceId", through_task AS "throughTask", done_through AS "doneThrough",
  reassigned, finished_at IS NOT NULL AS finished`;

/** Records a shuffle of every task there is now; one with no tasks to cover is finished at once. */
export async function insertShuffle(tx: Tx, id: string, traceId: string): Promise<ShuffleProgress> {
  const { rows } = await tx.query<ShuffleProgress>(
    `INSERT INTO shuffles (id, trace_id, through_task, finished_at)
     SELECT $1, $2, newest, CASE WHEN newest IS NULL THEN now() END
     FROM (SELECT (SELECT id FROM tasks ORDER BY id DESC LIMIT 1) AS newest) AS board
     RETURNING ${progressColumns}`,
    [id, traceId],
  );
  return rows[0]!;
}

/** A shuffle's progress, locked until the transaction ends: one chunk at a time. */
export async function lockShuffle(tx: Tx, id: string): Promise<ShuffleProgress | undefined> {
  const { rows } = await tx.query<ShuffleProgress>(`SELECT ${progressColumns} FROM shuffles WHERE id = $1 FOR UPDATE`, [
    id,
  ]);
  return rows[0];
}

export async function recordShuffleChunk(tx: Tx, id: string, chunk: ReassignedChunk): Promise<void> {
  await tx.query(
    `UPDATE shuffles SET done_through = $2, reassigned = reassigned + $3,
       progressed_at = now(), finished_at = CASE WHEN $4 THEN now() END
     WHERE id = $1`,
    [id, chunk.last, chunk.reassigned, chunk.finished],
  );
}

/** Shuffles not finished and not moved on for `idleSeconds`: their process died, or is stuck. */
export async function stalledShuffles(pool: Pool, idleSeconds: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM shuffles
     WHERE finished_at IS NULL AND progressed_at < now() - make_interval(secs => $1)
     ORDER BY requested_at`,
    [idleSeconds],
  );
  return rows.map((row) => row.id);
}

/** The newest outbox event of a name written in this transaction, to check what SQL built. */
export async function lastOutboxEvent(
  tx: Tx,
  eventName: string,
): Promise<{ body: string; partitionKey: string | null } | undefined> {
  const { rows } = await tx.query<{ body: string; partition_key: string | null }>(
    'SELECT body, partition_key FROM ates_outbox WHERE event_name = $1 ORDER BY id DESC LIMIT 1',
    [eventName],
  );
  return rows[0] && { body: rows[0].body, partitionKey: rows[0].partition_key };
}

export async function countAssignable(tx: Tx, excludedRoles: readonly string[]): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM directory_accounts WHERE active AND role <> ALL($1::text[])',
    [[...excludedRoles]],
  );
  return rows[0]!.n;
}

/**
 * Chunks of shuffles take turns: two at once would lock the same rows in different
 * orders. Two shuffles asked for together still both run, their chunks interleaved.
 */
export async function takeShuffleTurn(tx: Tx): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKeys.shuffle]);
}
