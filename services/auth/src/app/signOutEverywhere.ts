import { AccountSignedOutV1, createEvent } from '@ates/contracts';
import { type Pool, type Tx, withTransaction } from '@ates/platform/db';
import { appendToOutbox } from '@ates/platform/outbox';
import { markSignedOut } from '../adapters/db/accountsTable.ts';
import { revokeEverythingOf } from '../adapters/db/oidcStore.ts';

export type SignOutReason = 'signed_out' | 'password_changed' | 'disabled';

/**
 * Ends every session of an account, on every dashboard: the SSO's sessions, grants and
 * refresh tokens go, and `account.signed_out` tells every service to refuse the access
 * tokens issued before now. In the caller's transaction when given one.
 */
export async function signOutEverywhere(
  db: Pool | Tx,
  accountId: string,
  reason: SignOutReason,
  traceId?: string,
): Promise<void> {
  const work = async (tx: Tx) => {
    // The SSO's own clock, the one that stamps tokens with `issued_at_ms`.
    const at = new Date();
    await markSignedOut(tx, accountId, at);
    await revokeEverythingOf(tx, accountId);
    await appendToOutbox(tx, [
      createEvent(
        AccountSignedOutV1,
        { account_id: accountId, signed_out_at: at.toISOString(), reason },
        { aggregateId: accountId, traceId },
      ),
    ]);
  };
  if ('release' in db) await work(db);
  else await withTransaction(db, work);
}
