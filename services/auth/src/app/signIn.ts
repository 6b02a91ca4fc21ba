import type { Pool } from '@ates/platform/db';
import { findAccountByEmail, type StoredAccount } from '../adapters/db/accountsTable.ts';
import { normaliseEmail } from '../domain/account.ts';
import { hashPassword, passwordMatches } from './passwords.ts';
import { beginThrottledAttempt } from './throttledAttempt.ts';

export interface SignInAttempt {
  email: string;
  password: string;
  beakShape?: string | undefined;
  address: string;
}

export type SignInResult =
  | { ok: true; account: StoredAccount }
  | { ok: false; status: 401 | 403 | 429; message: string };

const wrongCredentials = 'Wrong email, password or beak shape.';
// Compared against when the email is unknown, so a miss takes as long as a hit.
const decoyHash = hashPassword('decoy password that never matches');

/**
 * Checks password, beak and account state. Each attempt counts against the throttle
 * before the slow check starts, so concurrent guesses cannot slip past it, and a wrong
 * beak shape counts like a wrong password.
 */
export async function signIn(pool: Pool, attempt: SignInAttempt): Promise<SignInResult> {
  const email = normaliseEmail(attempt.email);
  const begun = await beginThrottledAttempt(pool, email, attempt.address);
  if ('refused' in begun) return { ok: false, status: 429, message: begun.refused };

  const account = await findAccountByEmail(pool, email);
  const passwordOk = await passwordMatches(attempt.password, account?.passwordHash ?? (await decoyHash));
  const beakOk = !account?.beakShape || account.beakShape === attempt.beakShape;
  if (!account || !passwordOk || !beakOk) return { ok: false, status: 401, message: wrongCredentials };
  await begun.succeeded();
  if (!account.active)
    return { ok: false, status: 403, message: 'This account is disabled. Ask an admin to enable it.' };
  return { ok: true, account };
}
