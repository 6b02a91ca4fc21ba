import { PayoutMadeV1, PayoutMadeV2 } from '@ates/contracts';
import { accountDirectoryHandlers } from '@ates/platform/accounts';
import { type HandlerRegistration, onBatch } from '@ates/platform/inbox';
import { oweEmails } from '../adapters/db/outgoingEmails.ts';

/**
 * A payout becomes an email owed, keyed by the payout: a redelivered event finds it
 * already owed. The words are written when it is sent, when the name is surely known.
 * A day's close makes a payout per popug at once, so they are taken a batch at a time.
 */
export function notificationHandlers(): HandlerRegistration[] {
  return [
    ...accountDirectoryHandlers(),
    ...onBatch([PayoutMadeV1, PayoutMadeV2] as const, async (events, tx) => {
      await oweEmails(
        tx,
        events.map(({ data, trace_id }) => ({
          payoutId: data.payout_id,
          accountId: data.account_id,
          businessDay: data.business_day,
          amount: data.amount,
          balanceAfter: 'balance_after' in data ? data.balance_after : null,
          traceId: trace_id,
        })),
      );
    }),
  ];
}
