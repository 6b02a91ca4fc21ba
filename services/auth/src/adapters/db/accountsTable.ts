import { lockKeys, type Pool, type Tx } from '@ates/platform/db';
import type { Account, Role } from '../../domain/account.ts';
import type { BeakShape } from '../../domain/beakShapes.ts';

export interface StoredAccount extends Account {
  passwordHash: string;
  createdAt: Date;
}

const columns = `id, email, full_name AS "fullName", role, active, beak_shape AS "beakShape", password_hash AS "passwordHash", created_at AS "createdAt"`;

export async function insertAccount(tx: Tx, account: Account & { passwordHash: string }): Promise<void> {
  await tx.query(
    'INSERT INTO accounts (id, email, full_name, role, active, password_hash, beak_shape) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [
      account.id,
      account.email,
      account.fullName,
      account.role,
      account.active,
      account.passwordHash,
      account.beakShape,
    ],
  );
}

export async function findAccountByEmail(db: Pool | Tx, email: string): Promise<StoredAccount | undefined> {
  const { rows } = await db.query<StoredAccount>(`SELECT ${columns} FROM accounts WHERE lower(email) = lower($1)`, [
    email,
  ]);
  return rows[0];
}

/** Locks the row: concurrent changes of one account apply one after the other. */
export async function findAccountForUpdate(tx: Tx, id: string): Promise<StoredAccount | undefined> {
  const { rows } = await tx.query<StoredAccount>(`SELECT ${columns} FROM accounts WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

export async function findAccountById(db: Pool | Tx, id: string): Promise<StoredAccount | undefined> {
  const { rows } = await db.query<StoredAccount>(`SELECT ${columns} FROM accounts WHERE id = $1`, [id]);
  return rows[0];
}

export async function saveAccountChanges(
  tx: Tx,
  id: string,
  changes: {
    email: string;
    fullName: string;
    role: Role;
    active: boolean;
    beakShape: BeakShape | null;
    passwordHash: string;
  },
): Promise<void> {
  await tx.query(
    'UPDATE accounts SET email = $2, full_name = $3, role = $4, active = $5, beak_shape = $6, password_hash = $7, updated_at = now() WHERE id = $1',
    [id, changes.email, changes.fullName, changes.role, changes.active, changes.beakShape, changes.passwordHash],
  );
}

export async function listAccounts(
  db: Pool,
  options: { limit: number; offset: number; search?: string },
): Promise<{ accounts: StoredAccount[]; total: number }> {
  const search = options.search ? `%${options.search.toLowerCase()}%` : null;
  const filter = '($1::text IS NULL OR lower(email) LIKE $1 OR lower(full_name) LIKE $1)';
  const [page, count] = await Promise.all([
    db.query<StoredAccount>(
      `SELECT ${columns} FROM accounts WHERE ${filter} ORDER BY created_at, email LIMIT $2 OFFSET $3`,
      [search, options.limit, options.offset],
    ),
    db.query<{ total: number }>(`SELECT count(*)::int AS total FROM accounts WHERE ${filter}`, [search]),
  ]);
  return { accounts: page.rows, total: count.rows[0]!.total };
}

export async function countAccounts(db: Pool): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  return rows[0]!.n;
}

/** Marks every token issued before `at` void. */
export async function markSignedOut(tx: Tx, id: string, at: Date): Promise<void> {
  await tx.query('UPDATE accounts SET signed_out_at = greatest(signed_out_at, $2) WHERE id = $1', [id, at]);
}

/** The account as it is now, for judging its tokens on the SSO's own pages and APIs. */
export async function accountStanding(
  db: Pool | Tx,
  id: string,
): Promise<{ role: Role; active: boolean; signedOutAt: Date | null } | undefined> {
  const { rows } = await db.query<{ role: Role; active: boolean; signedOutAt: Date | null }>(
    'SELECT role, active, signed_out_at AS "signedOutAt" FROM accounts WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** How many active admins there are besides `id`, counted one change at a time. */
export async function otherActiveAdmins(tx: Tx, id: string): Promise<number> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKeys.lastAdmin]);
  const { rows } = await tx.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM accounts WHERE role = 'admin' AND active AND id <> $1",
    [id],
  );
  return rows[0]!.n;
}
