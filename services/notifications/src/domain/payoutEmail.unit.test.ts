import { describe, expect, it } from 'vitest';
import { nextAttemptDelaySeconds, payoutEmail } from './payoutEmail.ts';

const payout = { fullName: 'Kesha', businessDay: '2026-03-01', amount: 123_456, balanceAfter: 0 };

describe('payout email', () => {
  it('tells the amount in dollars and the day in the subject', () => {
    expect(payoutEmail(payout).subject).toBe('Your aTES payout for 2026-03-01: $1,234.56');
  });

  it('greets the popug by name', () => {
    expect(payoutEmail(payout).body).toContain('Hello Kesha,');
  });

  it('writes cents below a dollar with a leading zero', () => {
    expect(payoutEmail({ ...payout, amount: 5 }).subject).toBe('Your aTES payout for 2026-03-01: $0.05');
  });

  it('says the balance is $0.00 when nothing else was posted', () => {
    expect(payoutEmail(payout).body).toContain('Your balance after the payout is $0.00.');
  });

  it('says the balance actually left when the next business day already has postings', () => {
    const body = payoutEmail({ ...payout, balanceAfter: -1_500 }).body;
    expect(body).toContain(
      'Your balance after the payout is −$15.00, counting what was already posted to the next business day.',
    );
  });

  it('claims no balance for a payout announced without one', () => {
    const body = payoutEmail({ ...payout, balanceAfter: null }).body;
    expect(body).not.toMatch(/balance after the payout|back to/);
  });

  it('backs off retries up to ten minutes', () => {
    expect([1, 2, 3, 8, 20].map(nextAttemptDelaySeconds)).toEqual([5, 10, 20, 600, 600]);
  });
});
