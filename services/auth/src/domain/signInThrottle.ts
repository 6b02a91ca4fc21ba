/**
 * How many failed sign-ins are tolerated before the door closes for a while: few per
 * account (guessing one password), more per address (an office behind one NAT).
 */
export const signInLimits = {
  perAccount: { failures: 5, windowMinutes: 15 },
  perAddress: { failures: 30, windowMinutes: 15 },
} as const;

export type ThrottleDecision = { allowed: true } | { allowed: false; message: string };

export function decideSignIn(recentFailures: { account: number; address: number }): ThrottleDecision {
  if (recentFailures.account >= signInLimits.perAccount.failures) {
    return {
      allowed: false,
      message: `Too many failed sign-ins for this account. Try again in ${signInLimits.perAccount.windowMinutes} minutes.`,
    };
  }
  if (recentFailures.address >= signInLimits.perAddress.failures) {
    return {
      allowed: false,
      message: `Too many failed sign-ins from your network. Try again in ${signInLimits.perAddress.windowMinutes} minutes.`,
    };
  }
  return { allowed: true };
}
