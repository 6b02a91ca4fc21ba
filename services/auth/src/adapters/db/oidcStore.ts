import type { Pool, Tx } from '@ates/platform/db';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * Keeps oidc-provider's sessions, grants, codes and refresh tokens in the auth
 * database, so they survive restarts and are shared by every auth instance.
 */
export function postgresOidcStore(pool: Pool): new (kind: string) => Adapter {
  return class PostgresOidcStore implements Adapter {
    constructor(private readonly kind: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      await pool.query(
        `INSERT INTO oidc_models (kind, id, payload, grant_id, uid, user_code, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int > 0 THEN now() + make_interval(secs => $7) END)
         ON CONFLICT (kind, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
           user_code = excluded.user_code, expires_at = excluded.expires_at`,
        [
          this.kind,
          id,
          payload,
          payload.grantId ?? null,
          payload.uid ?? null,
          payload.userCode ?? null,
          expiresIn ?? 0,
        ],
      );
    }

    private async findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      const { rows } = await pool.query<{ payload: AdapterPayload; consumed: number | null }>(
        `SELECT payload, extract(epoch FROM consumed_at)::bigint AS consumed FROM oidc_models
         WHERE kind = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now())`,
        [this.kind, value],
      );
      const row = rows[0];
      if (!row) return undefined;
      return row.consumed ? { ...row.payload, consumed: row.consumed } : row.payload;
    }

    find(id: string) {
      return this.findWhere('id', id);
    }

    findByUid(uid: string) {
      return this.findWhere('uid', uid);
    }

    findByUserCode(userCode: string) {
      return this.findWhere('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await pool.query('UPDATE oidc_models SET consumed_at = now() WHERE kind = $1 AND id = $2', [this.kind, id]);
    }

    async destroy(id: string): Promise<void> {
      await pool.query('DELETE FROM oidc_models WHERE kind = $1 AND id = $2', [this.kind, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await pool.query('DELETE FROM oidc_models WHERE grant_id = $1', [grantId]);
    }
  };
}

/** Ends every SSO session of the account and revokes its grants, codes and refresh tokens. */
export async function revokeEverythingOf(db: Pool | Tx, accountId: string): Promise<void> {
  await db.query(
    "DELETE FROM oidc_models WHERE kind IN ('Session', 'Grant', 'AuthorizationCode', 'RefreshToken', 'AccessToken', 'DeviceCode') AND payload->>'accountId' = $1",
    [accountId],
  );
}
