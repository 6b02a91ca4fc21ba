import type { Pool } from '@ates/platform/db';
import { ClientError } from '@ates/platform/http';
import { countAccounts } from '../adapters/db/accountsTable.ts';
import { createAccount } from './accountCommands.ts';

/** On the very first start there is nobody to create accounts: configuration names the first admin. */
export async function ensureFirstAdmin(pool: Pool, admin: { email: string; password: string; fullName: string }): Promise<boolean> {
  if ((await countAccounts(pool)) > 0) return false;
  try {
    await createAccount(pool, { email: admin.email, password: admin.password, fullName: admin.fullName, role: 'admin' });
    return true;
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if (error instanceof ClientError && error.statusCode === 409) return false;
    throw error;
  }
}
