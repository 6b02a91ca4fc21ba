import type { Pool } from '@ates/platform/db';
import { findAccountByEmail, type StoredAccount } from '../adapters/db/accountsTable.ts';
import { clearFailures, countRecentFailures, recordFailure } from '../adapters/db/signInFailures.ts';
import { normaliseEmail } from '../domain/account.ts';
import { decideSignIn, signInLimits } from '../domain/signInThrottle.ts';
import { hashPassword, passwordMatches } from './passwords.ts';

export interface SignInAttempt {
  email: string;
  password: string;
  beakShape?: string | undefined;
  address: string;
}

export type SignInResult = { ok: true; account: StoredAccount } | { ok: false; status: 401 | 403 | 429; message: string };

const wrongCredentials = 'Wrong email, password or beak shape.';
// Compared against when the email is unknown, so a miss takes as long as a hit.
const decoyHash = hashPassword('decoy password that never matches');

/** Checks password, beak and account state, with throttling per account and per address. */
export async function signIn(pool: Pool, attempt: SignInAttempt): Promise<SignInResult> {
  const email = normaliseEmail(attempt.email);
  const accountSubject = `account:${email}`;
  const addressSubject = `address:${attempt.address}`;
  const decision = decideSignIn({
    account: await countRecentFailures(pool, accountSubject, signInLimits.perAccount.windowMinutes),
    address: await countRecentFailures(pool, addressSubject, signInLimits.perAddress.windowMinutes),
  });
  if (!decision.allowed) return { ok: false, status: 429, message: decision.message };

  const account = await findAccountByEmail(pool, email);
  const passwordOk = await passwordMatches(attempt.password, account?.passwordHash ?? (await decoyHash));
  const beakOk = !account?.beakShape || account.beakShape === attempt.beakShape;
  if (!account || !passwordOk || !beakOk) {
    await recordFailure(pool, [accountSubject, addressSubject]);
    return { ok: false, status: 401, message: wrongCredentials };
  }
  if (!account.active) return { ok: false, status: 403, message: 'This account is disabled. Ask an admin to enable it.' };
  await clearFailures(pool, accountSubject);
  return { ok: true, account };
}
