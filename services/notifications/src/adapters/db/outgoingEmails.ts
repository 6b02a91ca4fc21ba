import type { Tx } from '@ates/platform/db';

export interface DueEmail {
  id: string;
  email: string;
  fullName: string;
  businessDay: string;
  amount: number;
  balanceAfter: number | null;
  attempts: number;
  traceId: string | null;
}

/**
 * Emails due now whose recipient's address is known, locked for this sender only:
 * several notification instances never send the same email at the same time.
 */
export async function claimDueEmails(tx: Tx, limit: number): Promise<DueEmail[]> {
  const { rows } = await tx.query<DueEmail>(
    `SELECT o.id, d.email, d.full_name AS "fullName", to_char(o.business_day, 'YYYY-MM-DD') AS "businessDay", o.amount, o.balance_after AS "balanceAfter", o.attempts,
            o.trace_id AS "traceId"
     FROM outgoing_emails o JOIN directory_accounts d ON d.id = o.account_id AND d.email <> ''
     WHERE o.status = 'pending' AND o.next_attempt_at <= now()
     ORDER BY o.next_attempt_at LIMIT $1
     FOR UPDATE OF o SKIP LOCKED`,
    [limit],
  );
  return rows;
}

/** Marks what the server took as sent, one statement for a whole batch of deliveries. */
export async function markSent(tx: Tx, sent: readonly { id: string; to: string }[]): Promise<void> {
  if (sent.length === 0) return;
  await tx.query(
    `UPDATE outgoing_emails o SET status = 'sent', sent_at = now(), sent_to = s.sent_to, attempts = o.attempts + 1, last_error = NULL
     FROM unnest($1::uuid[], $2::text[]) AS s(id, sent_to) WHERE o.id = s.id`,
    [sent.map((email) => email.id), sent.map((email) => email.to)],
  );
}

export async function markFailed(tx: Tx, id: string, error: string, retryInSeconds: number): Promise<void> {
  await tx.query(
    'UPDATE outgoing_emails SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1',
    [id, error.slice(0, 500), retryInSeconds],
  );
}

export interface OwedEmail {
  payoutId: string;
  accountId: string;
  businessDay: string;
  amount: number;
  balanceAfter: number | null;
  traceId: string;
}

/** An email owed per payout, keyed by the payout: a redelivered event finds it already owed. */
export async function oweEmails(tx: Tx, payouts: readonly OwedEmail[]): Promise<void> {
  await tx.query(
    `INSERT INTO outgoing_emails (id, account_id, business_day, amount, balance_after, trace_id)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::bigint[], $5::bigint[], $6::text[])
     ON CONFLICT (id) DO NOTHING`,
    [
      payouts.map((p) => p.payoutId),
      payouts.map((p) => p.accountId),
      payouts.map((p) => p.businessDay),
      payouts.map((p) => p.amount),
      payouts.map((p) => p.balanceAfter),
      payouts.map((p) => p.traceId),
    ],
  );
}
