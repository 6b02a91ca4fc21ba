/**
 * How many failed sign-ins are tolerated before the door closes for a while. Counted per
 * account and address (guessing one password from one place), per address (one place
 * guessing many accounts; more, for an office behind one NAT), and per account from
 * anywhere (a soft limit, well above what one place may try, so a stranger elsewhere
 * cannot lock the owner out but a botnet cannot guess forever either).
 */
export const signInLimits = {
  perAccountAndAddress: { failures: 5, windowMinutes: 15 },
  perAddress: { failures: 30, windowMinutes: 15 },
  perAccount: { failures: 100, windowMinutes: 15 },
} as const;

export type ThrottleDecision = { allowed: true } | { allowed: false; message: string };

export interface RecentFailures {
  accountAndAddress: number;
  address: number;
  account: number;
}

export function decideSignIn(recent: RecentFailures): ThrottleDecision {
  if (recent.accountAndAddress >= signInLimits.perAccountAndAddress.failures) {
    return {
      allowed: false,
      message: `Too many failed sign-ins for this account. Try again in ${signInLimits.perAccountAndAddress.windowMinutes} minutes.`,
    };
  }
  if (recent.address >= signInLimits.perAddress.failures) {
    return {
      allowed: false,
      message: `Too many failed sign-ins from your network. Try again in ${signInLimits.perAddress.windowMinutes} minutes.`,
    };
  }
  if (recent.account >= signInLimits.perAccount.failures) {
    return {
      allowed: false,
      message: `This account is being guessed at from many places; sign-ins pause for ${signInLimits.perAccount.windowMinutes} minutes.`,
    };
  }
  return { allowed: true };
}

/** The throttle's subjects of one attempt. */
export function throttleSubjects(
  email: string,
  address: string,
): { accountAndAddress: string; address: string; account: string } {
  return {
    accountAndAddress: `account:${email}|address:${address}`,
    address: `address:${address}`,
    account: `account:${email}`,
  };
}
