import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from './verifyAccessToken.ts';

const issuer = 'http://sso.test';
let verifier: TokenVerifier;
let sign: (claims: { exp?: string | number; iat?: number }) => Promise<string>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  verifier = createTokenVerifier({
    issuer,
    keys: createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] }),
  });
  sign = async ({ exp, iat }) => {
    const jwt = new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('urn:ates')
      .setSubject('someone');
    if (iat !== undefined) jwt.setIssuedAt(iat);
    else jwt.setIssuedAt();
    if (exp !== undefined) jwt.setExpirationTime(exp);
    return jwt.sign(privateKey);
  };
});

describe('access tokens', () => {
  it('takes a well-formed token that expires within the hour', async () => {
    expect(await verifier.verify(await sign({ exp: '30m' }))).toMatchObject({ id: 'someone', role: 'admin' });
  });

  it('refuses a token without an expiry', async () => {
    await expect(verifier.verify(await sign({}))).rejects.toThrow(/exp/);
  });

  it('refuses a token issued longer ago than any the SSO issues', async () => {
    const twoHoursAgo = Math.floor(Date.now() / 1_000) - 2 * 3_600;
    await expect(verifier.verify(await sign({ iat: twoHoursAgo, exp: twoHoursAgo + 3 * 3_600 }))).rejects.toThrow(
      /iat|age/,
    );
  });
});
