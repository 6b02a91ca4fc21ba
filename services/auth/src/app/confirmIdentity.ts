import type { Pool } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import type { StoredAccount } from '../adapters/db/accountsTable.ts';
import { passwordMatches } from './passwords.ts';
import { beginThrottledAttempt } from './throttledAttempt.ts';

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
  const begun = await beginThrottledAttempt(pool, account.email, address);
  if ('refused' in begun) throw new RuleBroken('too_many', begun.refused);
  if (!(await passwordMatches(currentPassword, account.passwordHash)))
    throw new RuleBroken('forbidden', 'That is not your current password; nothing was changed');
  await begun.succeeded();
}
