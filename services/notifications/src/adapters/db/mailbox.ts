import type { Pool } from '@ates/platform/db';
import { payoutMessageIdParts } from '../../domain/payoutEmail.ts';

export interface ReceivedMail {
  id: number;
  messageId: string | null;
  sender: string;
  recipients: string[];
  subject: string;
  body: string;
  receivedAt: Date;
}

/**
 * Newest first; only the mails aTES sent for `accountId` (matched by Message-ID to its
 * payouts) unless it is left out (admins see all). Not by address: an address can pass
 * from a deleted account to a new one, and the new one must not read the old one's pay.
 */
export async function readMailbox(
  pool: Pool,
  options: { accountId?: string; limit: number; offset: number },
): Promise<{ mails: ReceivedMail[]; total: number }> {
  const mine = `$1::uuid IS NULL OR message_id IN (SELECT $2 || o.id || $3 FROM outgoing_emails o WHERE o.account_id = $1)`;
  const filter = [options.accountId ?? null, payoutMessageIdParts.before, payoutMessageIdParts.after];
  const [page, count] = await Promise.all([
    pool.query<ReceivedMail>(
      `SELECT id, message_id AS "messageId", sender, recipients, subject, body, received_at AS "receivedAt" FROM mailbox
       WHERE ${mine} ORDER BY received_at DESC, id DESC LIMIT $4 OFFSET $5`,
      [...filter, options.limit, options.offset],
    ),
    pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM mailbox WHERE ${mine}`, filter),
  ]);
  return { mails: page.rows, total: count.rows[0]!.total };
}
