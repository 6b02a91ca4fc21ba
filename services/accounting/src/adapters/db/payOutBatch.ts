import { maxTransactionsPerEvent } from '@ates/contracts';
import type { Tx } from '@ates/platform/db';
import type { BusinessDay } from '@ates/platform/time';

export interface BatchResult {
  /** The last account of the batch; null when there were no accounts left. */
  cursor: string | null;
  payouts: number;
}

/**
 * Pays out one batch of employee accounts for `day`, in one statement. An account is
 * owed what it earned up to the end of the day and was not paid yet: its balance less
 * the fees and rewards already posted to later days. Payouts are not taken out of
 * that sum: a later day closed first has paid this day's earnings too, and the balance
 * already shows it. Only positive amounts are paid; the idempotency key
 * (payout:<account>:<day>) makes a second run, or a run after a crash, pay nobody twice.
 * Each payout takes the account's next posting number, and its events carry it.
 */
export async function payOutBatch(
  tx: Tx,
  options: { day: BusinessDay; after: string; size: number; at: Date; traceId: string },
): Promise<BatchResult> {
  const { rows } = await tx.query<{ cursor: string | null; payouts: number }>(
    `WITH batch AS (
       SELECT id, balance, last_sequence FROM ledger_accounts
       WHERE kind = 'employee' AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE
     ),
     due AS (
       -- Later days' postings are looked up per account, through its (employee, day) index.
       -- Asked by day, the BRIN index hands back every line it has not summarized yet, and a
       -- close's own payouts are such lines: each batch read all the batches before it.
       SELECT b.id, b.balance, b.last_sequence, b.balance - coalesce(l.change, 0) AS owed
       FROM batch b LEFT JOIN LATERAL (
         SELECT sum(CASE WHEN t.to_account = b.id THEN t.amount ELSE -t.amount END) AS change
         FROM ledger_transfers t
         WHERE t.employee_id = b.id::uuid AND t.business_day > $1::date AND t.kind <> 'payout'
       ) l ON true
     ),
     paid AS (
       INSERT INTO ledger_transfers
         (id, kind, from_account, to_account, amount, employee_id, business_day, idempotency_key, occurred_at, balance_after, sequence)
       SELECT ates_uuid_v7(), 'payout', id, 'payouts', owed, id::uuid, $1::date, 'payout:' || id || ':' || $1, $4::timestamptz,
              balance - owed, last_sequence + 1
       FROM due WHERE owed > 0
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, employee_id, amount, balance_after, applied_at, sequence
     ),
     debited AS (
       UPDATE ledger_accounts a SET balance = a.balance - p.amount, last_sequence = p.sequence
       FROM paid p WHERE a.id = p.employee_id::text RETURNING 1
     ),
     credited AS (
       UPDATE ledger_accounts SET balance = balance + (SELECT coalesce(sum(amount), 0) FROM paid) WHERE id = 'payouts' RETURNING 1
     ),
     parts AS (
       SELECT *, (row_number() OVER (ORDER BY employee_id) - 1) / $7 AS part FROM paid
     ),
     announced AS (
       -- Per up to $7 payouts, in account order: a payout_made (v3; each payout in it is an
       -- email) and a transaction_applied (v3). An event per payout cost more to carry
       -- through the outbox, the log and notifications than the payout itself. Each item is
       -- a row aggregated whole: compact JSON, built in three quarters of json_build_object's time.
       INSERT INTO ates_outbox (event_id, event_name, aggregate_id, body)
       SELECT e.event_id::text, e.name, e.aggregate_id,
              ates_envelope(e.event_id, e.name, e.version, 'accounting', $5::text, e.aggregate_id, $6::text, e.data)
       FROM (
         SELECT ates_uuid_v7() AS event_id, 'accounting.transaction_applied' AS name, 3 AS version,
                (array_agg(p.id ORDER BY p.employee_id))[1]::text AS aggregate_id,
                json_build_object(
                  'business_day', $1::text,
                  'applied_at', to_char(max(p.applied_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                  'transactions', json_agg(t ORDER BY p.employee_id)) AS data
         FROM parts p, LATERAL (
           SELECT p.id AS transaction_id, p.employee_id AS account_id, p.sequence, 'payout' AS kind,
                  -p.amount AS amount, p.balance_after, NULL::uuid AS task_id
         ) AS t
         GROUP BY p.part
         UNION ALL
         SELECT ates_uuid_v7(), 'accounting.payout_made', 3, (array_agg(p.id ORDER BY p.employee_id))[1]::text,
                json_build_object(
                  'business_day', $1::text,
                  'payouts', json_agg(o ORDER BY p.employee_id))
         FROM parts p, LATERAL (
           SELECT p.id AS payout_id, p.employee_id AS account_id, p.amount, p.balance_after
         ) AS o
         GROUP BY p.part
       ) AS e
       RETURNING 1
     )
     SELECT (SELECT max(id) FROM batch) AS cursor, (SELECT count(*)::int FROM paid) AS payouts,
            (SELECT count(*) FROM debited) + (SELECT count(*) FROM credited) + (SELECT count(*) FROM announced) AS touched`,
    [
      options.day,
      options.after,
      options.size,
      options.at.toISOString(),
      options.at.toISOString(),
      options.traceId,
      maxTransactionsPerEvent,
    ],
  );
  return { cursor: rows[0]!.cursor, payouts: rows[0]!.payouts };
}
