import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

export const PayoutMadeV2 = defineEvent({
  name: 'accounting.payout_made',
  version: 2,
  producer: 'accounting',
  aggregate: 'account',
  description:
    'A business day was closed and what the account earned up to its end, not yet paid, was paid out. `balance_after` is the balance actually left, which postings already on the next day may make other than 0.',
  data: Type.Object(
    {
      payout_id: Field.id('The payout; one per account and business day'),
      account_id: Field.id('The employee paid'),
      business_day: Field.businessDay('The business day closed'),
      amount: Field.cents('Paid out, in cents'),
      balance_after: Field.signedCents('The balance left after the payout, in cents'),
    },
    strict,
  ),
});
