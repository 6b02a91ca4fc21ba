import type { Pool } from '@ates/platform/db';

export interface ReceivedMail {
  id: number;
  messageId: string | null;
  sender: string;
  recipients: string[];
  subject: string;
  body: string;
  receivedAt: Date;
}

/** Newest first; only mails to `recipient` unless it is left out (admins see all). */
export async function readMailbox(pool: Pool, options: { recipient?: string; limit: number; offset: number }): Promise<{ mails: ReceivedMail[]; total: number }> {
  const recipient = options.recipient?.toLowerCase() ?? null;
  const [page, count] = await Promise.all([
    pool.query<ReceivedMail>(
      `SELECT id, message_id AS "messageId", sender, recipients, subject, body, received_at AS "receivedAt" FROM mailbox
       WHERE $1::text IS NULL OR $1 = ANY(recipients) ORDER BY received_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [recipient, options.limit, options.offset],
    ),
    pool.query<{ total: number }>('SELECT count(*)::int AS total FROM mailbox WHERE $1::text IS NULL OR $1 = ANY(recipients)', [recipient]),
  ]);
  return { mails: page.rows, total: count.rows[0]!.total };
}
