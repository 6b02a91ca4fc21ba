import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';

/** How a signing key is kept in the database: sealed with AES-256-GCM, or (development without a secret) as is. */
export type StoredKey = JWK | { sealed: 'A256GCM'; iv: string; data: string; tag: string };

const isSealed = (stored: StoredKey): stored is Extract<StoredKey, { sealed: 'A256GCM' }> => 'sealed' in stored;

/**
 * Seals private signing keys with a key derived from AUTH_SIGNING_KEY_SECRET, so a copy of
 * the auth database (a backup, a leaked dump) does not let anyone forge tokens.
 */
export function signingKeyCipher(secret: string | undefined) {
  const key = secret ? createHash('sha256').update(`ates signing keys:${secret}`).digest() : undefined;
  return {
    seal(jwk: JWK): StoredKey {
      if (!key) return jwk;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
      return {
        sealed: 'A256GCM',
        iv: iv.toString('base64url'),
        data: data.toString('base64url'),
        tag: cipher.getAuthTag().toString('base64url'),
      };
    },
    open(stored: StoredKey): JWK {
      if (!isSealed(stored)) return stored;
      if (!key) throw new Error('the signing keys are sealed: AUTH_SIGNING_KEY_SECRET is needed to open them');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(stored.iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(stored.tag, 'base64url'));
      return JSON.parse(
        Buffer.concat([decipher.update(Buffer.from(stored.data, 'base64url')), decipher.final()]).toString('utf8'),
      ) as JWK;
    },
    isSealed,
  };
}

export type SigningKeyCipher = ReturnType<typeof signingKeyCipher>;
