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
  return {
    issuer: authIssuer(env),
    accessTokenTtlSeconds: readInteger('AUTH_ACCESS_TOKEN_TTL_SECONDS', 3_600, env),
    firstAdmin: { email, password, fullName: readOptional('ATES_ADMIN_NAME', env) ?? 'Popug Admin' },
    cookieKeys,
  };
}
