import { createPool, migrateServiceDatabase, type Pool } from '@ates/platform/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../tools/test/databases.ts';
import { signingKeyCipher } from '../src/adapters/db/signingKeyCipher.ts';
import { loadSigningKeys } from '../src/adapters/db/signingKeys.ts';
import { ensureFirstAdmin, refuseDevelopmentAdmin } from '../src/app/ensureFirstAdmin.ts';
import { developmentAdmin } from '../src/settings.ts';

let pool: Pool;
const secret = 'the signing key secret, 32 bytes or more';

beforeAll(async () => {
  const url = await freshDatabase('auth_posture');
  await migrateServiceDatabase(url, new URL('../migrations', import.meta.url).pathname);
  pool = createPool(url);
});
afterAll(() => pool.end());

describe('production posture of the SSO', () => {
  it('refuses to run while the development admin can sign in with its published password', async () => {
    await ensureFirstAdmin(pool, { ...developmentAdmin, fullName: 'Dev Admin' });
    await expect(refuseDevelopmentAdmin(pool)).rejects.toThrow(
      /development admin admin@uberpopug.test can still sign in/,
    );
  });

  it('seals signing keys kept in the clear once a secret is configured, and needs it from then on', async () => {
    const plain = await loadSigningKeys(pool, 3_600, signingKeyCipher(undefined));
    expect(JSON.stringify((await pool.query('SELECT private_jwk FROM signing_keys')).rows)).toContain('"d":');
    const opened = await loadSigningKeys(pool, 3_600, signingKeyCipher(secret));
    expect(opened).toEqual(plain);
    const stored = JSON.stringify((await pool.query('SELECT private_jwk FROM signing_keys')).rows);
    expect({ sealed: stored.includes('"sealed":"A256GCM"'), clear: stored.includes('"d":') }).toEqual({
      sealed: true,
      clear: false,
    });
    await expect(loadSigningKeys(pool, 3_600, signingKeyCipher(undefined))).rejects.toThrow(/AUTH_SIGNING_KEY_SECRET/);
  });
});
