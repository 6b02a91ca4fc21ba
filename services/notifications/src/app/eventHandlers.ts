import { type EnvelopeOf, PayoutMadeV1, PayoutMadeV2, PayoutMadeV3 } from '@ates/contracts';
import { accountDirectoryHandlers } from '@ates/platform/accounts';
import { type HandlerRegistration, onBatch } from '@ates/platform/inbox';
import { type OwedEmail, oweEmails } from '../adapters/db/outgoingEmails.ts';

type PayoutEvent = EnvelopeOf<typeof PayoutMadeV1 | typeof PayoutMadeV2 | typeof PayoutMadeV3>;

/** The emails an event's payouts owe: one payout in v1 and v2, a close's batch of them in v3. */
function emailsOwed({ data, trace_id }: PayoutEvent): OwedEmail[] {
  if ('payouts' in data)
    return data.payouts.map((payout) => ({
      payoutId: payout.payout_id,
      accountId: payout.account_id,
      businessDay: data.business_day,
      amount: payout.amount,
      balanceAfter: payout.balance_after,
      traceId: trace_id,
    }));
  return [
    {
      payoutId: data.payout_id,
      accountId: data.account_id,
      businessDay: data.business_day,
      amount: data.amount,
      balanceAfter: 'balance_after' in data ? data.balance_after : null,
      traceId: trace_id,
    },
  ];
}

/**
 * A payout becomes an email owed, keyed by the payout: a redelivered event finds it
 * already owed. The words are written when it is sent, when the name is surely known.
 * A day's close makes a payout per popug at once, so they are taken a batch at a time.
 */
export function notificationHandlers(): HandlerRegistration[] {
  return [
    ...accountDirectoryHandlers(),
    ...onBatch([PayoutMadeV1, PayoutMadeV2, PayoutMadeV3] as const, async (events, tx) => {
      await oweEmails(tx, events.flatMap(emailsOwed));
    }),
  ];
}
