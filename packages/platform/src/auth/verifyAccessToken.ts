import { createRemoteJWKSet, decodeJwt, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';

import { type Role, roles } from '../roles/index.ts';

export { type Role, roles };

/** Who a request acts for, taken from a verified access token. */
export interface AuthenticatedUser {
  id: string;
  role: Role;
  email: string;
  name: string;
  /** When the token was issued, in ms: a sign-out after it voids it. */
  issuedAt: number;
  /** The SSO key that signed the token: a revoked key voids it. */
  keyId: string;
}

/** Access tokens live at most this long (the SSO refuses to issue longer ones). */
export const maxAccessTokenAgeSeconds = 3_600;

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** The token could not be judged: its key is unknown and the SSO cannot be asked for it right now. */
export class SigningKeysUnavailableError extends Error {
  override readonly name = 'SigningKeysUnavailableError';
}

export interface TokenVerifier {
  verify(token: string): Promise<AuthenticatedUser>;
}

/** Access tokens are for every aTES service alike. */
export const atesAudience = 'urn:ates';

/**
 * Verifies access tokens offline against the SSO's published keys. Keys are cached
 * without expiry and fetched again only for a key id not seen before, so users who
 * hold tokens keep working while the SSO is down.
 */
export function createTokenVerifier(options: { issuer: string; keys?: JWTVerifyGetKey }): TokenVerifier {
  // A token with a key id not seen before fetches the keys again, at most once a second:
  // a new key is honoured a second after the SSO rotates, and random key ids cannot hammer it.
  const keys =
    options.keys ??
    createRemoteJWKSet(new URL(`${options.issuer}/oidc/jwks`), { cacheMaxAge: Infinity, cooldownDuration: 1_000 });
  // A token is immutable: once its signature checked out, only its expiry can change the answer.
  const verified = new Map<string, { user: AuthenticatedUser; expiresAt: number }>();
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known && known.expiresAt > Date.now()) return known.user;
      verified.delete(token);
      const user = await verifyOnce(token);
      if (verified.size >= 10_000) verified.delete(verified.keys().next().value!);
      verified.set(token, { user, expiresAt: Number(decodeJwt(token).exp ?? 0) * 1_000 });
      return user;
    },
  };

  async function verifyOnce(token: string): Promise<AuthenticatedUser> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: atesAudience,
        // Only what the SSO signs with: no `none`, no HMAC with a public key as the secret.
        algorithms: ['ES256'],
        typ: 'at+jwt',
        clockTolerance: 5,
        // A token without an expiry, or older than any the SSO issues, is refused.
        requiredClaims: ['exp', 'iat', 'sub'],
        maxTokenAge: maxAccessTokenAgeSeconds,
      });
      const role = payload['role'];
      if (typeof payload.sub !== 'string' || !roles.includes(role as Role))
        throw new InvalidTokenError('token has no subject or role');
      return {
        id: payload.sub,
        role: role as Role,
        email: String(payload['email'] ?? ''),
        name: String(payload['name'] ?? ''),
        issuedAt: typeof payload['issued_at_ms'] === 'number' ? payload['issued_at_ms'] : payload.iat! * 1_000,
        keyId: String(protectedHeader.kid),
      };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      if (!(error instanceof errors.JOSEError) || error instanceof errors.JWKSTimeout) {
        throw new SigningKeysUnavailableError(
          `the SSO's signing keys cannot be fetched: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      throw new InvalidTokenError(error instanceof Error ? error.message : 'invalid token');
    }
  }
}
