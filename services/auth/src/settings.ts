import { maxAccessTokenAgeSeconds } from '@ates/platform/auth';
import { ConfigError, authIssuer, isProduction, readInteger, readOptional } from '@ates/platform/config';

export interface AuthSettings {
  issuer: string;
  accessTokenTtlSeconds: number;
  firstAdmin: { email: string; password: string; fullName: string };
  /** From AUTH_COOKIE_KEYS; generated and stored in development when absent. */
  cookieKeys: string[] | undefined;
}

export const developmentAdmin = { email: 'admin@uberpopug.test', password: 'popug-admin' };

/** Production takes every secret from configuration; development gets printed defaults. */
export function readAuthSettings(env: Record<string, string | undefined>): AuthSettings {
  const production = isProduction(env);
  const email = readOptional('ATES_ADMIN_EMAIL', env) ?? (production ? undefined : developmentAdmin.email);
  const password = readOptional('ATES_ADMIN_PASSWORD', env) ?? (production ? undefined : developmentAdmin.password);
  if (!email || !password) throw new ConfigError('ATES_ADMIN_EMAIL and ATES_ADMIN_PASSWORD are required in production');
  const cookieKeys = readOptional('AUTH_COOKIE_KEYS', env)?.split(',').filter(Boolean);
  if (production && !cookieKeys?.length) throw new ConfigError('AUTH_COOKIE_KEYS (comma-separated secrets) is required in production');
  const accessTokenTtlSeconds = readInteger('AUTH_ACCESS_TOKEN_TTL_SECONDS', 3_600, env);
  // Every service refuses a token older than this, so the SSO must not issue one that lives longer.
  if (accessTokenTtlSeconds > maxAccessTokenAgeSeconds) throw new ConfigError(`AUTH_ACCESS_TOKEN_TTL_SECONDS may be at most ${maxAccessTokenAgeSeconds}`);
  return {
    issuer: authIssuer(env),
    accessTokenTtlSeconds,
    firstAdmin: { email, password, fullName: readOptional('ATES_ADMIN_NAME', env) ?? 'Popug Admin' },
    cookieKeys,
  };
}
