import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AccountCreatedV1, AccountDisabledV1, AccountRoleChangedV1, AccountUpdatedV1, type EnvelopeOf } from '@ates/contracts';
import type { Role } from '../auth/index.ts';
import type { Pool, Tx } from '../db/index.ts';
import { on, type HandlerRegistration } from '../inbox/index.ts';

export const accountDirectoryMigrations = { dir: join(dirname(fileURLToPath(import.meta.url)), 'migrations'), table: 'ates_directory_migrations' };

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
function applyFullState(event: EnvelopeOf<typeof AccountCreatedV1> | EnvelopeOf<typeof AccountUpdatedV1>, tx: Tx): Promise<void> {
  const { data } = event;
  return applyAccountState(tx, data.account_id, event.occurred_at, { email: data.email, fullName: data.full_name, role: data.role, active: data.active });
}

/** Handlers that keep `directory_accounts` in step with the SSO's account events. */
export function accountDirectoryHandlers(): HandlerRegistration[] {
  return [
    on(AccountCreatedV1, applyFullState),
    on(AccountUpdatedV1, applyFullState),
    on(AccountRoleChangedV1, (event, tx) => applyAccountState(tx, event.data.account_id, event.occurred_at, { role: event.data.new_role })),
    on(AccountDisabledV1, (event, tx) => applyAccountState(tx, event.data.account_id, event.occurred_at, { active: false })),
  ];
}

const columns = 'id, email, full_name AS "fullName", role, active';

export async function findDirectoryAccount(db: Pool | Tx, id: string): Promise<DirectoryAccount | undefined> {
  const { rows } = await db.query<DirectoryAccount>(`SELECT ${columns} FROM directory_accounts WHERE id = $1`, [id]);
  return rows[0];
}

export async function listDirectoryAccounts(db: Pool | Tx): Promise<DirectoryAccount[]> {
  const { rows } = await db.query<DirectoryAccount>(`SELECT ${columns} FROM directory_accounts ORDER BY full_name, email`);
  return rows;
}
