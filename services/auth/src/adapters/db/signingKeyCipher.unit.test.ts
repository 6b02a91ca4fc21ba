import { describe, expect, it } from 'vitest';
import { signingKeyCipher } from './signingKeyCipher.ts';

const jwk = { kty: 'EC', crv: 'P-256', d: 'private-part', x: 'x', y: 'y', kid: 'k1' };
const secret = 'a secret of at least thirty-two bytes!';

describe('signing keys at rest', () => {
  it('are sealed so the private part is not in the stored form', () => {
    expect(JSON.stringify(signingKeyCipher(secret).seal(jwk))).not.toContain('private-part');
  });

  it('open again with the same secret', () => {
    const cipher = signingKeyCipher(secret);
    expect(cipher.open(cipher.seal(jwk))).toEqual(jwk);
  });

  it('do not open with another secret', () => {
    expect(() => signingKeyCipher(`${secret}?`).open(signingKeyCipher(secret).seal(jwk))).toThrow();
  });

  it('cannot be read without the secret once sealed', () => {
    expect(() => signingKeyCipher(undefined).open(signingKeyCipher(secret).seal(jwk))).toThrow(
      /AUTH_SIGNING_KEY_SECRET/,
    );
  });
});
