import { PayoutMadeV1 } from '@ates/contracts';
import { accountDirectoryHandlers } from '@ates/platform/accounts';
import { on, type HandlerRegistration } from '@ates/platform/inbox';

/**
 * A payout becomes an email owed, keyed by the payout: a redelivered event finds it
 * already owed. The words are written when it is sent, when the name is surely known.
 */
export function notificationHandlers(): HandlerRegistration[] {
  return [
    ...accountDirectoryHandlers(),
    on(PayoutMadeV1, async (event, tx) => {
      await tx.query(
        'INSERT INTO outgoing_emails (id, account_id, business_day, amount) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING',
        [event.data.payout_id, event.data.account_id, event.data.business_day, event.data.amount],
      );
    }),
  ];
}
