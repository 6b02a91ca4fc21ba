import { createEvent, SigningKeyRevokedV1, uuidv7 } from '@ates/contracts';
import { lockKeys, type Pool, type Tx, withTransaction } from '@ates/platform/db';
import { appendToOutbox } from '@ates/platform/outbox';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SigningKeyCipher, StoredKey } from './signingKeyCipher.ts';

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: uuidv7(), alg: 'ES256', use: 'sig' };
}

/**
 * The keys to sign with and to publish, newest first. The first start makes one;
 * a key retired more than `keepRetiredForSeconds` ago is no longer published.
 */
export async function loadSigningKeys(
  pool: Pool,
  keepRetiredForSeconds: number,
  cipher: SigningKeyCipher,
): Promise<JWK[]> {
  const firstKey = await newSigningKey();
  await withTransaction(pool, async (tx) => {
    // Two instances starting together must not both make a first key.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKeys.firstSigningKey]);
    const { rowCount } = await tx.query('SELECT 1 FROM signing_keys WHERE retired_at IS NULL');
    if (!rowCount) await storeKey(tx, firstKey, cipher);
  });
  const { rows } = await pool.query<{ kid: string; private_jwk: StoredKey }>(
    `SELECT kid, private_jwk FROM signing_keys
     WHERE revoked_at IS NULL AND (retired_at IS NULL OR retired_at > now() - make_interval(secs => $1))
     ORDER BY retired_at IS NOT NULL, created_at DESC`,
    [keepRetiredForSeconds],
  );
  const keys = rows.map((row) => cipher.open(row.private_jwk));
  // Keys stored in the clear before a secret was configured are sealed now.
  for (const [index, row] of rows.entries()) {
    const sealed = cipher.seal(keys[index]!);
    if (!cipher.isSealed(row.private_jwk) && cipher.isSealed(sealed))
      await pool.query('UPDATE signing_keys SET private_jwk = $2 WHERE kid = $1', [row.kid, sealed]);
  }
  return keys;
}

async function storeKey(tx: Tx, key: JWK, cipher: SigningKeyCipher): Promise<void> {
  await tx.query('INSERT INTO signing_keys (kid, private_jwk) VALUES ($1, $2)', [key.kid, cipher.seal(key)]);
}

/**
 * Makes a new key the signing key. The old one stays published so tokens it signed still
 * verify, unless it is revoked as compromised: then it is withdrawn and `signing_key.revoked`
 * tells every service to refuse its tokens at once.
 */
export async function rotateSigningKey(
  pool: Pool,
  cipher: SigningKeyCipher,
  options: { revoke?: boolean; traceId?: string } = {},
): Promise<{ kid: string; revoked: string[] }> {
  const key = await newSigningKey();
  const revoked = await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ kid: string; revoked_at: Date | null }>(
      'UPDATE signing_keys SET retired_at = coalesce(retired_at, now()), revoked_at = CASE WHEN $1 THEN now() END WHERE retired_at IS NULL RETURNING kid, revoked_at',
      [options.revoke ?? false],
    );
    await storeKey(tx, key, cipher);
    const gone = rows.filter((row) => row.revoked_at);
    await appendToOutbox(
      tx,
      gone.map((row) =>
        createEvent(
          SigningKeyRevokedV1,
          { kid: row.kid, revoked_at: row.revoked_at!.toISOString() },
          { aggregateId: row.kid, traceId: options.traceId },
        ),
      ),
    );
    return gone.map((row) => row.kid);
  });
  return { kid: key.kid!, revoked };
}

/** Keys revoked as compromised, for judging tokens on the SSO's own pages. */
export async function revokedSigningKeys(db: Pool): Promise<ReadonlySet<string>> {
  const { rows } = await db.query<{ kid: string }>('SELECT kid FROM signing_keys WHERE revoked_at IS NOT NULL');
  return new Set(rows.map((row) => row.kid));
}
