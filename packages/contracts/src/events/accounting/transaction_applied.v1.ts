import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

export const TransactionAppliedV1 = defineEvent({
  name: 'accounting.transaction_applied',
  version: 1,
  producer: 'accounting',
  aggregate: 'account',
  description: "A posting changed an employee's balance; the company account took the other side.",
  data: Type.Object(
    {
      transaction_id: Field.id('The posting'),
      account_id: Field.id('The employee account'),
      kind: Type.Union([Type.Literal('fee'), Type.Literal('reward'), Type.Literal('payout')]),
      amount: Field.signedCents("Change of the employee's balance, in cents: negative for fees and payouts"),
      balance_after: Field.signedCents('Employee balance after the posting, in cents'),
      task_id: Type.Union([Field.id('The task the posting is for'), Type.Null()]),
      business_day: Field.businessDay('Business day the posting belongs to, in the configured time zone'),
      applied_at: Field.timestamp('When it was applied'),
    },
    strict,
  ),
});
