import {
  AccountCreatedV1,
  AccountDisabledV1,
  AccountRoleChangedV1,
  AccountUpdatedV1,
  createEvent,
  type Envelope,
  uuidv7,
} from '@ates/contracts';
import { type Pool, type Tx, withTransaction } from '@ates/platform/db';
import { RuleBroken } from '@ates/platform/errors';
import { appendToOutbox } from '@ates/platform/outbox';
import {
  findAccountByEmail,
  findAccountForUpdate,
  insertAccount,
  otherActiveAdmins,
  type StoredAccount,
  saveAccountChanges,
} from '../adapters/db/accountsTable.ts';
import { type Account, checkAccountFields, type NewAccount, normaliseEmail, type Role } from '../domain/account.ts';
import type { BeakShape } from '../domain/beakShapes.ts';
import { hashPassword } from './passwords.ts';
import { signOutEverywhere } from './signOutEverywhere.ts';

function accountState(account: Account) {
  return {
    account_id: account.id,
    email: account.email,
    full_name: account.fullName,
    role: account.role,
    active: account.active,
  };
}

/** Creates an account and announces it, in one transaction. */
export async function createAccount(pool: Pool, input: NewAccount, traceId?: string): Promise<Account> {
  const email = normaliseEmail(input.email);
  checkAccountFields({ ...input, email });
  const passwordHash = await hashPassword(input.password);
  const account: Account = {
    id: uuidv7(),
    email,
    fullName: input.fullName.trim(),
    role: input.role,
    active: true,
    beakShape: input.beakShape ?? null,
  };
  return withTransaction(pool, async (tx) => {
    if (await findAccountByEmail(tx, email))
      throw new RuleBroken('conflict', `An account with the email ${email} already exists`);
    await insertAccount(tx, { ...account, passwordHash }).catch((error: { code?: string }) => {
      if (error.code === '23505') throw new RuleBroken('conflict', `An account with the email ${email} already exists`);
      throw error;
    });
    await appendToOutbox(tx, [
      createEvent(AccountCreatedV1, accountState(account), { aggregateId: account.id, traceId }),
    ]);
    return account;
  });
}

export interface AccountChanges {
  email?: string;
  fullName?: string;
  role?: Role;
  active?: boolean;
  beakShape?: BeakShape | null;
  password?: string;
}

/**
 * Changes an account and publishes what changed: always `account.updated` with the whole
 * new state, and the business events `account.role_changed` / `account.disabled` when they apply.
 */
export async function changeAccount(
  pool: Pool,
  id: string,
  changes: AccountChanges,
  traceId?: string,
): Promise<Account> {
  const email = changes.email === undefined ? undefined : normaliseEmail(changes.email);
  checkAccountFields({ ...changes, email });
  const passwordHash = changes.password === undefined ? undefined : await hashPassword(changes.password);
  return withTransaction(pool, async (tx) => {
    const before = await findAccountForUpdate(tx, id);
    if (!before) throw new RuleBroken('not_found', `No account ${id}`);
    if (email && email !== before.email && (await findAccountByEmail(tx, email)))
      throw new RuleBroken('conflict', `An account with the email ${email} already exists`);
    const after: StoredAccount = {
      ...before,
      email: email ?? before.email,
      fullName: changes.fullName?.trim() ?? before.fullName,
      role: changes.role ?? before.role,
      active: changes.active ?? before.active,
      beakShape: changes.beakShape === undefined ? before.beakShape : changes.beakShape,
      passwordHash: passwordHash ?? before.passwordHash,
    };
    if (before.role === 'admin' && before.active && (after.role !== 'admin' || !after.active))
      await keepAnAdmin(tx, id);
    await saveAccountChanges(tx, id, after);
    await appendToOutbox(tx, changeEvents(before, after, traceId));
    // A new password or a disabled account ends every session it had, on every dashboard.
    if (before.active && !after.active) await signOutEverywhere(tx, id, 'disabled', traceId);
    else if (passwordHash !== undefined) await signOutEverywhere(tx, id, 'password_changed', traceId);
    return after;
  });
}

/** aTES must never lock itself out: the last active admin stays an active admin. */
async function keepAnAdmin(tx: Tx, leavingId: string): Promise<void> {
  if ((await otherActiveAdmins(tx, leavingId)) === 0)
    throw new RuleBroken('conflict', 'aTES needs at least one active admin: make someone else admin first');
}

function changeEvents(before: Account, after: Account, traceId: string | undefined): Envelope[] {
  const context = { aggregateId: after.id, traceId };
  const events: Envelope[] = [];
  const publicStateChanged = (['email', 'fullName', 'role', 'active'] as const).some(
    (field) => before[field] !== after[field],
  );
  if (before.role !== after.role) {
    events.push(
      createEvent(AccountRoleChangedV1, { account_id: after.id, old_role: before.role, new_role: after.role }, context),
    );
  }
  if (before.active && !after.active) events.push(createEvent(AccountDisabledV1, { account_id: after.id }, context));
  if (publicStateChanged) events.push(createEvent(AccountUpdatedV1, accountState(after), context));
  return events;
}
