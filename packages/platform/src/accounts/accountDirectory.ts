import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AccountCreatedV1,
  AccountDisabledV1,
  AccountRoleChangedV1,
  AccountSignedOutV1,
  AccountUpdatedV1,
  type EnvelopeOf,
  SigningKeyRevokedV1,
} from '@ates/contracts';
import type { Role } from '../auth/index.ts';
import type { Pool, Tx } from '../db/index.ts';
import { type HandlerRegistration, on } from '../inbox/index.ts';

export const accountDirectoryMigrations = {
  dir: join(dirname(fileURLToPath(import.meta.url)), 'migrations'),
  table: 'ates_directory_migrations',
};

export interface DirectoryAccount {
  id: string;
  email: string;
  fullName: string;
  role: Role;
  active: boolean;
}

/**
 * Applies one account event if it is newer than what is known. Events that only carry
 * part of the state (a role change before the account itself arrived) leave the rest
 * for the full-state events to fill in.
 */
async function applyAccountState(
  tx: Tx,
  id: string,
  at: string,
  state: { email?: string; fullName?: string; role?: Role; active?: boolean },
): Promise<void> {
  await tx.query(
    `INSERT INTO directory_accounts AS a (id, email, full_name, role, active, state_at)
     VALUES ($1, coalesce($2, ''), coalesce($3, ''), coalesce($4, 'worker'), coalesce($5, true), $6)
     ON CONFLICT (id) DO UPDATE SET
       email     = CASE WHEN excluded.state_at >= a.state_at OR a.email = ''     THEN coalesce($2, a.email)     ELSE a.email END,
       full_name = CASE WHEN excluded.state_at >= a.state_at OR a.full_name = '' THEN coalesce($3, a.full_name) ELSE a.full_name END,
       role      = CASE WHEN excluded.state_at >= a.state_at THEN coalesce($4, a.role)   ELSE a.role END,
       active    = CASE WHEN excluded.state_at >= a.state_at THEN coalesce($5, a.active) ELSE a.active END,
       state_at  = greatest(a.state_at, excluded.state_at)`,
    [id, state.email ?? null, state.fullName ?? null, state.role ?? null, state.active ?? null, at],
  );
}

/** account.created and account.updated both carry the whole public state. */
function applyFullState(
  event: EnvelopeOf<typeof AccountCreatedV1> | EnvelopeOf<typeof AccountUpdatedV1>,
  tx: Tx,
): Promise<void> {
  const { data } = event;
  return applyAccountState(tx, data.account_id, event.occurred_at, {
    email: data.email,
    fullName: data.full_name,
    role: data.role,
    active: data.active,
  });
}

/** Handlers that keep `directory_accounts` in step with the SSO's account events. */
export function accountDirectoryHandlers(): HandlerRegistration[] {
  return [
    on(AccountCreatedV1, applyFullState),
    on(AccountUpdatedV1, applyFullState),
    on(AccountRoleChangedV1, (event, tx) =>
      applyAccountState(tx, event.data.account_id, event.occurred_at, { role: event.data.new_role }),
    ),
    on(AccountDisabledV1, (event, tx) =>
      applyAccountState(tx, event.data.account_id, event.occurred_at, { active: false }),
    ),
    on(AccountSignedOutV1, (event, tx) => recordSignOut(tx, event.data.account_id, event.data.signed_out_at)),
    on(SigningKeyRevokedV1, async (event, tx) => {
      await tx.query(
        'INSERT INTO directory_revoked_keys (kid, revoked_at) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING',
        [event.data.kid, event.data.revoked_at],
      );
    }),
  ];
}

/** The signing keys the SSO revoked, each answer kept for a second. */
export function directoryRevokedKeys(db: Pool, keepMs = 1_000): () => Promise<ReadonlySet<string>> {
  let known: { keys: ReadonlySet<string>; until: number } | undefined;
  return async () => {
    if (known && known.until > Date.now()) return known.keys;
    const { rows } = await db.query<{ kid: string }>('SELECT kid FROM directory_revoked_keys');
    known = { keys: new Set(rows.map((row) => row.kid)), until: Date.now() + keepMs };
    return known.keys;
  };
}

/** Keeps the latest sign-out of an account, also of one whose other events have not arrived yet. */
async function recordSignOut(tx: Tx, id: string, at: string): Promise<void> {
  await tx.query(
    `INSERT INTO directory_accounts AS a (id, role, state_at, signed_out_at) VALUES ($1, 'worker', '-infinity', $2)
     ON CONFLICT (id) DO UPDATE SET signed_out_at = greatest(a.signed_out_at, excluded.signed_out_at)`,
    [id, at],
  );
}

/** What a service knows of an account right now, to judge a token that names it. */
export interface AccountStanding {
  /** The current role; undefined while only part of the account's state is known. */
  role: Role | undefined;
  active: boolean;
  /** Tokens issued before this are void. */
  signedOutAt: Date | null;
}

/**
 * Looks accounts up in this service's directory, each answer kept for a second: a role
 * change, a disablement or a sign-out reaches every request within about a second of
 * its event arriving, at one small query per account per second.
 */
export function directoryStanding(db: Pool, keepMs = 1_000): (id: string) => Promise<AccountStanding | undefined> {
  const recent = new Map<string, { standing: AccountStanding | undefined; until: number }>();
  return async (id) => {
    const known = recent.get(id);
    if (known && known.until > Date.now()) return known.standing;
    const { rows } = await db.query<{ role: Role; active: boolean; signed_out_at: Date | null; complete: boolean }>(
      "SELECT role, active, signed_out_at, email <> '' AS complete FROM directory_accounts WHERE id = $1",
      [id],
    );
    const row = rows[0];
    const standing = row
      ? { role: row.complete ? row.role : undefined, active: row.active, signedOutAt: row.signed_out_at }
      : undefined;
    if (recent.size >= 10_000) recent.clear();
    recent.set(id, { standing, until: Date.now() + keepMs });
    return standing;
  };
}

const columns = 'id, email, full_name AS "fullName", role, active';

export async function findDirectoryAccount(db: Pool | Tx, id: string): Promise<DirectoryAccount | undefined> {
  const { rows } = await db.query<DirectoryAccount>(`SELECT ${columns} FROM directory_accounts WHERE id = $1`, [id]);
  return rows[0];
}

export async function listDirectoryAccounts(db: Pool | Tx): Promise<DirectoryAccount[]> {
  const { rows } = await db.query<DirectoryAccount>(
    `SELECT ${columns} FROM directory_accounts ORDER BY full_name, email`,
  );
  return rows;
}

/** How a service's dashboards judge tokens by its directory: current standing and revoked keys. */
export function judgeByDirectory(db: Pool) {
  return { standing: directoryStanding(db), revokedKeys: directoryRevokedKeys(db) };
}
