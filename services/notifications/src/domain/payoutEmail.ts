/** The words of the payout email. Amounts are cents. */
export function payoutEmail(payout: { fullName: string; businessDay: string; amount: number }): { subject: string; body: string } {
  const dollars = `$${Math.floor(payout.amount / 100).toLocaleString('en-US')}.${String(payout.amount % 100).padStart(2, '0')}`;
  return {
    subject: `Your aTES payout for ${payout.businessDay}: ${dollars}`,
    body: [
      `Hello ${payout.fullName || 'popug'},`,
      '',
      `At the end of ${payout.businessDay} we paid out your balance: ${dollars}.`,
      'Your balance is back to $0.00. The details are in your audit log on the Accounting dashboard.',
      '',
      '— UberPopug Inc. accounting',
    ].join('\n'),
  };
}

/** Retry a failed delivery later and later, at most every 10 minutes. */
export function nextAttemptDelaySeconds(attempts: number): number {
  return Math.min(600, 5 * 2 ** Math.max(0, attempts - 1));
}
