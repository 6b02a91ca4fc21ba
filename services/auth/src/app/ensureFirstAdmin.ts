import { ConfigError } from '@ates/platform/config';
import type { Pool } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import { countAccounts, findAccountByEmail } from '../adapters/db/accountsTable.ts';
import { developmentAdmin } from '../settings.ts';
import { createAccount } from './accountCommands.ts';
import { passwordMatches } from './passwords.ts';

/** On the very first start there is nobody to create accounts: configuration names the first admin. */
export async function ensureFirstAdmin(
  pool: Pool,
  admin: { email: string; password: string; fullName: string },
): Promise<boolean> {
  if ((await countAccounts(pool)) > 0) return false;
  try {
    await createAccount(pool, {
      email: admin.email,
      password: admin.password,
      fullName: admin.fullName,
      role: 'admin',
    });
    return true;
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if (error instanceof RuleBroken && error.kind === 'conflict') return false;
    throw error;
  }
}

/**
 * Production does not run while the development admin can still sign in (an old data
 * directory brought over): its password is printed in the README.
 */
export async function refuseDevelopmentAdmin(pool: Pool): Promise<void> {
  const account = await findAccountByEmail(pool, developmentAdmin.email);
  if (account?.active && (await passwordMatches(developmentAdmin.password, account.passwordHash))) {
    throw new ConfigError(
      `the development admin ${developmentAdmin.email} can still sign in with its published password: disable it or change its password before running in production`,
    );
  }
}
