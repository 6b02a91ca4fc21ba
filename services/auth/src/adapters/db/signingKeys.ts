import { withTransaction, type Pool, type Tx } from '@ates/platform/db';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { v7 as uuidv7 } from 'uuid';

async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: uuidv7(), alg: 'ES256', use: 'sig' };
}

/**
 * The keys to sign with and to publish, newest first. The first start makes one;
 * a key retired more than `keepRetiredForSeconds` ago is no longer published.
 */
export async function loadSigningKeys(pool: Pool, keepRetiredForSeconds: number): Promise<JWK[]> {
  const firstKey = await newSigningKey();
  await withTransaction(pool, async (tx) => {
    // Two instances starting together must not both make a first key.
    await tx.query('SELECT pg_advisory_xact_lock(41100)');
    const { rowCount } = await tx.query('SELECT 1 FROM signing_keys WHERE retired_at IS NULL');
    if (!rowCount) await storeKey(tx, firstKey);
  });
  const { rows } = await pool.query<{ private_jwk: JWK }>(
    `SELECT private_jwk FROM signing_keys
     WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1)
     ORDER BY retired_at IS NOT NULL, created_at DESC`,
    [keepRetiredForSeconds],
  );
  return rows.map((row) => row.private_jwk);
}

async function storeKey(tx: Tx, key: JWK): Promise<void> {
  await tx.query('INSERT INTO signing_keys (kid, private_jwk) VALUES ($1, $2)', [key.kid, key]);
}

/** Makes a new key the signing key; the old one stays published so tokens it signed still verify. */
export async function rotateSigningKey(pool: Pool): Promise<string> {
  const key = await newSigningKey();
  await withTransaction(pool, async (tx) => {
    await tx.query('UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL');
    await storeKey(tx, key);
  });
  return key.kid!;
}
