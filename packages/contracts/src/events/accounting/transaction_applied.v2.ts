import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

export const TransactionAppliedV2 = defineEvent({
  name: 'accounting.transaction_applied',
  version: 2,
  producer: 'accounting',
  aggregate: 'account',
  description:
    "A posting changed an employee's balance; the company account took the other side. `sequence` orders an account's postings as the ledger applied them: the highest one carries the current balance.",
  data: Type.Object(
    {
      transaction_id: Field.id('The posting; a consumer counts each one once whatever event carries it'),
      account_id: Field.id('The employee account'),
      sequence: Type.Integer({
        minimum: 1,
        maximum: Number.MAX_SAFE_INTEGER,
        description: "1, 2, 3… per account, in the order the ledger applied the account's postings",
      }),
      kind: Type.Union([Type.Literal('fee'), Type.Literal('reward'), Type.Literal('payout')]),
      amount: Field.signedCents("Change of the employee's balance, in cents: negative for fees and payouts"),
      balance_after: Field.signedCents('Employee balance after the posting, in cents'),
      task_id: Type.Union([Field.id('The task the posting is for'), Type.Null()]),
      business_day: Field.businessDay('Business day the posting belongs to, in the configured time zone'),
      applied_at: Field.timestamp('When it was applied (informational: order by sequence)'),
    },
    strict,
  ),
});
