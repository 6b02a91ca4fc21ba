import { PayoutMadeV1 } from '@ates/contracts';
import { accountDirectoryHandlers } from '@ates/platform/accounts';
import { onBatch, type HandlerRegistration } from '@ates/platform/inbox';

/**
 * A payout becomes an email owed, keyed by the payout: a redelivered event finds it
 * already owed. The words are written when it is sent, when the name is surely known.
 * A day's close makes a payout per popug at once, so they are taken a batch at a time.
 */
export function notificationHandlers(): HandlerRegistration[] {
  return [
    ...accountDirectoryHandlers(),
    ...onBatch([PayoutMadeV1] as const, async (events, tx) => {
      await tx.query(
        `INSERT INTO outgoing_emails (id, account_id, business_day, amount)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::bigint[])
         ON CONFLICT (id) DO NOTHING`,
        [
          events.map((event) => event.data.payout_id),
          events.map((event) => event.data.account_id),
          events.map((event) => event.data.business_day),
          events.map((event) => event.data.amount),
        ],
      );
    }),
  ];
}
