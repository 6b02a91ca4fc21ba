import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

export const PayoutMadeV1 = defineEvent({
  name: 'accounting.payout_made',
  version: 1,
  producer: 'accounting',
  aggregate: 'account',
  description: 'At the end of a business day the positive balance of an account was paid out.',
  data: Type.Object(
    {
      payout_id: Field.id('The payout; one per account and business day'),
      account_id: Field.id('The employee paid'),
      business_day: Field.businessDay('The business day closed'),
      amount: Field.cents('Paid out, in cents'),
    },
    strict,
  ),
});
