import { formatMoney } from '@ates/platform/money';

/**
 * What the balance was left at, said truthfully: postings already made to the next
 * business day count, so it is not always $0.00. Payouts announced before the ledger
 * said (payout_made v1) do not claim a figure.
 */
function balanceLine(balanceAfter: number | null): string {
  if (balanceAfter === null) return 'The details are in your audit log on the Accounting dashboard.';
  const counting = balanceAfter === 0 ? '' : ', counting what was already posted to the next business day';
  return `Your balance after the payout is ${formatMoney(balanceAfter)}${counting}. The details are in your audit log on the Accounting dashboard.`;
}

/** The words of the payout email. Amounts are cents. */
export function payoutEmail(payout: {
  fullName: string;
  businessDay: string;
  amount: number;
  balanceAfter: number | null;
}): { subject: string; body: string } {
  const dollars = formatMoney(payout.amount);
  return {
    subject: `Your aTES payout for ${payout.businessDay}: ${dollars}`,
    body: [
      `Hello ${payout.fullName || 'popug'},`,
      '',
      `At the end of ${payout.businessDay} we paid out your balance: ${dollars}.`,
      balanceLine(payout.balanceAfter),
      '',
      '— UberPopug Inc. accounting',
    ].join('\n'),
  };
}

/** Retry a failed delivery later and later, at most every 10 minutes. */
export function nextAttemptDelaySeconds(attempts: number): number {
  return Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));
}

/** The Message-ID of a payout's email: stable, so a resend is the same message, and the mailbox finds an account's mails by it. */
export const payoutMessageIdParts = { before: '<payout-', after: '@ates.uberpopug>' } as const;

export function payoutMessageId(payoutId: string): string {
  return `${payoutMessageIdParts.before}${payoutId}${payoutMessageIdParts.after}`;
}
