import type { Pool } from '@ates/platform/db';
import { attemptSucceeded, beginAttempt } from '../adapters/db/signInFailures.ts';
import { decideSignIn, signInLimits, throttleSubjects } from '../domain/signInThrottle.ts';

const window = Math.max(...Object.values(signInLimits).map((limit) => limit.windowMinutes));

/**
 * Counts a password check against the sign-in throttle before it runs, so concurrent
 * guesses cannot slip past it; `succeeded` takes the attempt back when the password was right.
 */
export async function beginThrottledAttempt(
  pool: Pool,
  email: string,
  address: string,
): Promise<{ refused: string } | { succeeded: () => Promise<void> }> {
  const subjects = throttleSubjects(email, address);
  const begun = await beginAttempt(pool, subjects, window, decideSignIn);
  if ('refused' in begun) return begun;
  return { succeeded: () => attemptSucceeded(pool, begun.attempt, subjects.accountAndAddress) };
}
