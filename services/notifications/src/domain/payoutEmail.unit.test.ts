import { describe, expect, it } from 'vitest';
import { nextAttemptDelaySeconds, payoutEmail } from './payoutEmail.ts';

describe('payout email', () => {
  it('tells the amount in dollars and the day', () => {
    const mail = payoutEmail({ fullName: 'Kesha', businessDay: '2026-03-01', amount: 123_456 });
    expect(mail.subject).toBe('Your aTES payout for 2026-03-01: $1,234.56');
    expect(mail.body).toContain('Hello Kesha,');
    expect(payoutEmail({ fullName: '', businessDay: '2026-03-01', amount: 5 }).subject).toBe('Your aTES payout for 2026-03-01: $0.05');
  });

  it('backs off retries up to ten minutes', () => {
    expect([1, 2, 3, 8, 20].map(nextAttemptDelaySeconds)).toEqual([5, 10, 20, 600, 600]);
  });
});
