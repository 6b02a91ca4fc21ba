import { lockKeys, type Tx } from '@ates/platform/db';

/**
 * Gives every open task a random assignee from the pool and writes one `task.assigned`
 * event per task to the outbox, all in one statement: no round trip per task, however
 * many there are. The envelope is built here in SQL; `shuffleOpenTasks` checks one
 * against the registry before committing.
 */
export async function reassignOpenTasks(
  tx: Tx,
  options: { excludedRoles: readonly string[]; at: Date; traceId: string },
): Promise<number> {
  const { rows } = await tx.query<{ reassigned: number }>(
    `WITH candidates AS (
       SELECT array_agg(id) AS ids FROM directory_accounts WHERE active AND role <> ALL($1::text[])
     ),
     moved AS (
       UPDATE tasks t SET assignee_id = c.ids[1 + floor(random() * cardinality(c.ids))::int]
       FROM candidates c
       WHERE t.status = 'open' AND cardinality(c.ids) > 0
       RETURNING t.id, t.assignee_id, t.assign_fee
     ),
     events AS (
       SELECT ates_uuid_v7() AS event_id, ates_uuid_v7() AS assignment_id, id, assignee_id, assign_fee FROM moved
     ),
     written AS (
       INSERT INTO ates_outbox (event_id, event_name, aggregate_id, partition_key, body)
       -- Partitioned by the assignee, as TaskAssignedV2.partitionKey says.
       SELECT event_id::text, 'task.assigned', id::text, assignee_id::text, ates_envelope(event_id, 'task.assigned', 2, 'tasks', $2::text, id::text, $3::text,
         json_build_object('task_id', id, 'assignment_id', assignment_id, 'assignee_id', assignee_id,
                           'assign_fee', assign_fee, 'cause', 'shuffle', 'assigned_at', $2::text))
       FROM events
       RETURNING 1
     )
     SELECT count(*)::int AS reassigned FROM written`,
    [[...options.excludedRoles], options.at.toISOString(), options.traceId],
  );
  return rows[0]!.reassigned;
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

/** Two shuffles at once would lock the same rows in different orders: they take turns. */
export async function takeShuffleTurn(tx: Tx): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKeys.shuffle]);
}
