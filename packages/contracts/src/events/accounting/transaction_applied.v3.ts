import { Type } from '@sinclair/typebox';
import { defineEvent, Field, strict } from '../../defineEvent.ts';

/**
 * At most this many postings ride in one event: about 52 KB. Small enough that a consumer
 * pulling a batch's worth of events ahead holds tens of MB, not hundreds, when a run of
 * them goes by; large enough that announcing costs little beside posting.
 */
export const maxTransactionsPerEvent = 250;

export const TransactionAppliedV3 = defineEvent({
  name: 'accounting.transaction_applied',
  version: 3,
  producer: 'accounting',
  aggregate: 'posting batch',
  description:
    "Postings the ledger applied together, in one transaction (a large transaction announces its postings in several events): each changed an employee's balance and the company account took the other side. The same facts as v2, a batch to an event: one event per posting cost more than the posting itself. `sequence` orders an account's postings as the ledger applied them, across events: the highest one carries the current balance. The envelope's aggregate id names the batch (its first posting), so batches spread evenly over partitions.",
  data: Type.Object(
    {
      business_day: Field.businessDay(
        'Business day every posting of the batch belongs to, in the configured time zone',
      ),
      applied_at: Field.timestamp('When the batch was applied (informational: order by sequence)'),
      transactions: Type.Array(
        Type.Object(
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
          },
          strict,
        ),
        { minItems: 1, maxItems: maxTransactionsPerEvent, description: 'In the order the ledger applied them' },
      ),
    },
    strict,
  ),
});
