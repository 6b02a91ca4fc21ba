import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';
import { maxTransactionsPerEvent } from './transaction_applied.v3.ts';

export const PayoutMadeV3 = defineEvent({
  name: 'accounting.payout_made',
  version: 3,
  producer: 'accounting',
  aggregate: 'payout batch',
  description:
    "Payouts one close of a business day made together: what each account earned up to the end of the day, not yet paid, was paid out. The same facts as v2, a batch to an event: a close pays every popug at once, and an event per payout cost more to carry than the payout. `balance_after` is the balance actually left, which postings already on the next day may make other than 0. The envelope's aggregate id names the batch (its first payout).",
  data: Type.Object(
    {
      business_day: Field.businessDay('The business day closed'),
      payouts: Type.Array(
        Type.Object(
          {
            payout_id: Field.id('The payout; one per account and business day: a consumer acts on each once'),
            account_id: Field.id('The employee paid'),
            amount: Field.cents('Paid out, in cents'),
            balance_after: Field.signedCents('The balance left after the payout, in cents'),
          },
          strict,
        ),
        { minItems: 1, maxItems: maxTransactionsPerEvent, description: 'In account order' },
      ),
    },
    strict,
  ),
});
