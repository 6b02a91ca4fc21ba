import { maxAccessTokenAgeSeconds } from '@ates/platform/auth';
import { authIssuer, ConfigError, isProduction, readInteger, readOptional } from '@ates/platform/config';

export interface AuthSettings {
  issuer: string;
  accessTokenTtlSeconds: number;
  firstAdmin: { email: string; password: string; fullName: string };
  /** From AUTH_COOKIE_KEYS; generated and stored in development when absent. */
  cookieKeys: string[] | undefined;
  /** From AUTH_SIGNING_KEY_SECRET: encrypts the token signing keys at rest. Required in production. */
  signingKeySecret: string | undefined;
  production: boolean;
}

/** Secrets shorter than this are guessable offline; production refuses them. */
export const minimumSecretBytes = 32;

export const developmentAdmin = { email: 'admin@uberpopug.test', password: 'popug-admin' };

/** Production takes every secret from configuration; development gets printed defaults. */
export function readAuthSettings(env: Record<string, string | undefined>): AuthSettings {
  const production = isProduction(env);
  const email = readOptional('ATES_ADMIN_EMAIL', env) ?? (production ? undefined : developmentAdmin.email);
  const password = readOptional('ATES_ADMIN_PASSWORD', env) ?? (production ? undefined : developmentAdmin.password);
  if (!email || !password) throw new ConfigError('ATES_ADMIN_EMAIL and ATES_ADMIN_PASSWORD are required in production');
  const cookieKeys = readOptional('AUTH_COOKIE_KEYS', env)?.split(',').filter(Boolean);
  if (production && !cookieKeys?.length)
    throw new ConfigError('AUTH_COOKIE_KEYS (comma-separated secrets) is required in production');
  if (production && cookieKeys!.some((key) => Buffer.byteLength(key) < minimumSecretBytes)) {
    throw new ConfigError(
      `every AUTH_COOKIE_KEYS key must be at least ${minimumSecretBytes} bytes (e.g. openssl rand -base64 32)`,
    );
  }
  const signingKeySecret = readOptional('AUTH_SIGNING_KEY_SECRET', env);
  if (production && (!signingKeySecret || Buffer.byteLength(signingKeySecret) < minimumSecretBytes)) {
    throw new ConfigError(
      `AUTH_SIGNING_KEY_SECRET of at least ${minimumSecretBytes} bytes is required in production: it encrypts the token signing keys at rest`,
    );
  }
  const accessTokenTtlSeconds = readInteger('AUTH_ACCESS_TOKEN_TTL_SECONDS', 3_600, env);
  // Every service refuses a token older than this, so the SSO must not issue one that lives longer.
  if (accessTokenTtlSeconds > maxAccessTokenAgeSeconds)
    throw new ConfigError(`AUTH_ACCESS_TOKEN_TTL_SECONDS may be at most ${maxAccessTokenAgeSeconds}`);
  return {
    issuer: authIssuer(env),
    accessTokenTtlSeconds,
    firstAdmin: { email, password, fullName: readOptional('ATES_ADMIN_NAME', env) ?? 'Popug Admin' },
    cookieKeys,
    signingKeySecret,
    production,
  };
}
