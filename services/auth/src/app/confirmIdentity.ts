import type { Pool } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import type { StoredAccount } from '../adapters/db/accountsTable.ts';
import { attemptSucceeded, beginAttempt } from '../adapters/db/signInFailures.ts';
import { decideSignIn, signInLimits, throttleSubjects } from '../domain/signInThrottle.ts';
import { passwordMatches } from './passwords.ts';

const window = Math.max(...Object.values(signInLimits).map((limit) => limit.windowMinutes));

/**
 * Asks for the current password before a change of one's own password or beak shape: a
 * session left open, or stolen, is not enough. Guesses count against the sign-in throttle.
 */
export async function confirmIdentity(
  pool: Pool,
  account: StoredAccount,
  currentPassword: string | undefined,
  address: string,
): Promise<void> {
  if (!currentPassword)
    throw new RuleBroken('invalid', 'Type your current password to change your password or beak shape');
  const subjects = throttleSubjects(account.email, address);
  const begun = await beginAttempt(pool, subjects, window, decideSignIn);
  if ('refused' in begun) throw new RuleBroken('too_many', begun.refused);
  if (!(await passwordMatches(currentPassword, account.passwordHash)))
    throw new RuleBroken('forbidden', 'That is not your current password; nothing was changed');
  await attemptSucceeded(pool, begun.attempt, subjects.accountAndAddress);
}
